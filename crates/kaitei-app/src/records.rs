//! The records of this year's topics, for both front ends: a body's
//! disposal register checked against the ministry's rule table (flagged
//! items first), a register imported from a workbook all or nothing, the
//! national counts by rule; a body's organs and their cybersecurity
//! policy (the list prefilled by kind of body until its officer saves
//! it), and the national status under the Local Autonomy Act.

use std::collections::HashMap;

use kaitei_model::{Body, BodyCode, Date, registry};
use kaitei_records::organs::{self, National, Organ};
use kaitei_records::register::{CellProblem, Column, Item};
use kaitei_records::rules::{self, Finding, Row, RuleTable};
use kaitei_records::xlsx;
use kaitei_store::{Attachment, Imported};

use crate::{App, Error, Result};

/// A body's register as its page shows it.
#[derive(Debug, Clone)]
pub struct Register {
    /// The rule table it was checked against.
    pub rules: RuleTable,
    /// Its items in the register's order, each with its spreadsheet row
    /// (as the export writes it) and its findings.
    pub items: Vec<CheckedItem>,
    /// The files attached, by item.
    pub attachments: Vec<Attachment>,
}

/// One item with its findings.
#[derive(Debug, Clone)]
pub struct CheckedItem {
    /// Its row in the exported workbook.
    pub row: usize,
    /// The item.
    pub item: Item,
    /// What the rules found.
    pub findings: Vec<Finding>,
}

impl Register {
    /// The items with a finding first, each group in the register's order.
    pub fn flagged_first(&self) -> Vec<&CheckedItem> {
        let (mut flagged, rest): (Vec<_>, Vec<_>) =
            self.items.iter().partition(|i| !i.findings.is_empty());
        flagged.extend(rest);
        flagged
    }

    /// Findings counted by rule ([`rules::Rule::ALL`]'s order).
    pub fn counts(&self) -> [usize; 5] {
        let all: Vec<Finding> = self.items.iter().flat_map(|i| i.findings.clone()).collect();
        rules::count_by_rule(&all)
    }
}

/// Why a workbook was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterRefused {
    /// It is not a register (not an xlsx, wrong headers).
    NotARegister(String),
    /// These cells are wrong (row, column, problem), in row order:
    /// nothing was stored.
    Cells(Vec<(usize, Column, CellProblem)>),
}

/// Checks `items` (rows from 2) against `table`.
fn checked(items: Vec<Item>, table: &RuleTable) -> Vec<CheckedItem> {
    let rows: Vec<Row> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| Row {
            row: i + 2,
            item,
            invalid: Vec::new(),
        })
        .collect();
    let findings = rules::check(&rows, table);
    let mut by_row: HashMap<usize, Vec<Finding>> = HashMap::new();
    for f in findings {
        by_row.entry(f.row).or_default().push(f);
    }
    rows.into_iter()
        .map(|r| CheckedItem {
            row: r.row,
            findings: by_row.remove(&r.row).unwrap_or_default(),
            item: r.item,
        })
        .collect()
}

/// The cells a stored register may not hold: every invalid cell, and an
/// empty 管理番号 or 処理.
fn refusals(rows: &[Row]) -> Vec<(usize, Column, CellProblem)> {
    let mut out = Vec::new();
    for r in rows {
        for (c, p) in &r.invalid {
            out.push((r.row, *c, p.clone()));
        }
        if r.item.number.is_empty() {
            out.push((r.row, Column::Number, CellProblem::Empty));
        }
        if r.item.handling.is_none() && !r.invalid.iter().any(|(c, _)| *c == Column::Handling) {
            out.push((r.row, Column::Handling, CellProblem::Empty));
        }
    }
    out.sort();
    out
}

/// Each body's findings counted by rule, and the nation's.
#[derive(Debug, Clone, Default)]
pub struct DisposalNational {
    /// The rule table in force.
    pub rules: RuleTable,
    /// Findings by rule, nationally.
    pub counts: [usize; 5],
    /// Items registered nationally.
    pub items: usize,
    /// Bodies with a register.
    pub bodies: usize,
    /// Bodies with a finding, by body code: their counts by rule.
    pub flagged: Vec<(BodyCode, [usize; 5])>,
}

impl App {
    /// `body`'s register, checked against the stored rule table.
    pub async fn register(&self, body: BodyCode) -> Result<Register> {
        let rules = self.store().disposal_rules().await?;
        let items = self.store().disposal_items(body).await?;
        Ok(Register {
            items: checked(items, &rules),
            rules,
            attachments: self.store().disposal_attachments(body).await?,
        })
    }

    /// Imports the register in workbook `bytes` into `body`'s, all or
    /// nothing: refused with every wrong cell when any is (the findings
    /// of the rules are no refusal: they are what the page shows).
    pub async fn import_register(
        &self,
        body: BodyCode,
        bytes: &[u8],
        by: &str,
    ) -> Result<std::result::Result<Imported, RegisterRefused>> {
        let rows = match xlsx::read(bytes) {
            Ok(rows) => rows,
            Err(e) => return Ok(Err(RegisterRefused::NotARegister(e.to_string()))),
        };
        let wrong = refusals(&rows);
        if !wrong.is_empty() {
            return Ok(Err(RegisterRefused::Cells(wrong)));
        }
        let items: Vec<Item> = rows.into_iter().map(|r| r.item).collect();
        Ok(Ok(self.store().import_disposal(body, &items, by).await?))
    }

    /// `body`'s register as a workbook (reads back as the same items).
    pub async fn register_xlsx(&self, body: BodyCode) -> Result<Vec<u8>> {
        let items = self.store().disposal_items(body).await?;
        xlsx::write(&items).map_err(|e| Error::Internal(e.to_string()))
    }

    /// Every register checked against the stored rule table, counted.
    pub async fn disposal_national(&self) -> Result<DisposalNational> {
        let rules = self.store().disposal_rules().await?;
        let mut by_body: Vec<(BodyCode, Vec<Item>)> = Vec::new();
        for (code, item) in self.store().all_disposal_items().await? {
            match by_body.last_mut() {
                Some((c, items)) if *c == code => items.push(item),
                _ => by_body.push((code, vec![item])),
            }
        }
        let mut out = DisposalNational {
            rules,
            bodies: by_body.len(),
            ..DisposalNational::default()
        };
        for (code, items) in by_body {
            out.items += items.len();
            let register = Register {
                rules,
                items: checked(items, &rules),
                attachments: Vec::new(),
            };
            let counts = register.counts();
            for (n, c) in out.counts.iter_mut().zip(counts) {
                *n += c;
            }
            if counts.iter().any(|c| *c > 0) {
                out.flagged.push((code, counts));
            }
        }
        Ok(out)
    }

    /// `body`'s organs and whether its officer recorded them (else the
    /// list its kind of body starts with, none with a policy).
    pub async fn organs(&self, body: &Body) -> Result<(Vec<Organ>, bool)> {
        Ok(match self.store().organs(body.code).await? {
            Some(list) => (list, true),
            None => (
                organs::prefilled(body.code, body.kind)
                    .into_iter()
                    .map(Organ::unset)
                    .collect(),
                false,
            ),
        })
    }

    /// The national status on `today` of the bodies `include` keeps.
    pub async fn law_status(
        &self,
        today: Date,
        include: impl Fn(&Body) -> bool,
    ) -> Result<National> {
        let all = self.store().all_organs().await?;
        let bodies: Vec<(&Body, Option<&[Organ]>)> = registry()
            .all()
            .iter()
            .filter(|b| include(b))
            .map(|b| (b, all.get(&b.code).map(Vec::as_slice)))
            .collect();
        Ok(organs::national(&bodies, today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaitei_records::register::{Certificate, Classification, Handling, Media, Method};

    fn app_tests_item(n: &str, method: Method) -> Item {
        Item {
            number: n.into(),
            equipment: "PC".into(),
            media: Some(Media::Hdd),
            classification: Some(Classification::ThreeA),
            handling: Some(Handling::Discarded),
            method: Some(method),
            performer: Some(kaitei_records::register::Performer::Staff),
            certificate: Some(Certificate::Nothing),
            ..Item::default()
        }
    }

    /// Template → filled → imported → exported: the same register; a
    /// workbook with a wrong cell stores nothing.
    #[tokio::test]
    async fn a_register_round_trips_and_a_wrong_cell_stores_nothing() {
        for db in kaitei_store::testing::databases().await {
            let app = App::new(db.open().await);
            let town = BodyCode::parse("033219").unwrap();
            let template = xlsx::template().unwrap();
            assert_eq!(
                app.import_register(town, &template, "shiwa").await.unwrap(),
                Ok(Imported::default())
            );
            let filled = vec![
                app_tests_item("A-1", Method::Overwrite),
                app_tests_item("A-2", Method::Destruction),
                app_tests_item("A-3", Method::Nothing),
            ];
            let bytes = xlsx::write(&filled).unwrap();
            let done = app
                .import_register(town, &bytes, "shiwa")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(done.added, 3);
            let exported = app.register_xlsx(town).await.unwrap();
            let back: Vec<Item> = xlsx::read(&exported)
                .unwrap()
                .into_iter()
                .map(|r| r.item)
                .collect();
            assert_eq!(back, filled);

            let register = app.register(town).await.unwrap();
            let first: Vec<&str> = register
                .flagged_first()
                .iter()
                .map(|i| i.item.number.as_str())
                .collect();
            assert_eq!(first, ["A-1", "A-3", "A-2"], "flagged first");
            assert_eq!(register.counts(), [0, 1, 0, 1, 0]);

            let mut wrong = filled.clone();
            wrong[0].number = "A-9".into();
            wrong[1].handling = None;
            let bytes = xlsx::write(&wrong).unwrap();
            let refused = app
                .import_register(town, &bytes, "shiwa")
                .await
                .unwrap()
                .unwrap_err();
            assert_eq!(
                refused,
                RegisterRefused::Cells(vec![(3, Column::Handling, CellProblem::Empty)])
            );
            assert_eq!(
                app.store().disposal_items(town).await.unwrap().len(),
                3,
                "nothing stored"
            );
            assert!(matches!(
                app.import_register(town, b"not a workbook", "shiwa")
                    .await
                    .unwrap(),
                Err(RegisterRefused::NotARegister(_))
            ));

            let national = app.disposal_national().await.unwrap();
            assert_eq!((national.bodies, national.items), (1, 3));
            assert_eq!(national.counts, [0, 1, 0, 1, 0]);
        }
    }
}
