//! Data linkage without removable media (topic ①, migration 0016): the
//! ministry's catalogue and risk matrix (kept as the text it edits; no
//! row: the built-in ones), and each body's uses of the patterns with its
//! ratings, saved as a whole list.

use kaitei_model::BodyCode;
use kaitei_records::linkage::{Catalogue, RiskMatrix, Route, Segment};
use kaitei_records::linkage_ratings::{Rating, ScenarioRating, Use, check_uses};
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::audit::Change;
use crate::sql::insert_values;
use crate::{Store, StoreError};

/// Rows written by one statement.
const BATCH: usize = 300;

fn segment(s: &str) -> Result<Segment, StoreError> {
    Segment::from_id(s).ok_or_else(|| StoreError::Corrupt(format!("segment {s:?}")))
}

fn rating(l: Option<i64>, i: Option<i64>) -> Option<Rating> {
    Rating::new(u8::try_from(l?).ok()?, u8::try_from(i?).ok()?)
}

/// A body's uses as text, for the audit trail's digests.
fn state_of(uses: &[Use]) -> String {
    let mut out = Vec::new();
    for u in uses {
        out.push(format!(
            "{} {}>{}",
            u.pattern,
            u.route.from.id(),
            u.route.to.id()
        ));
        for r in &u.ratings {
            let w = |r: Option<Rating>| {
                r.map_or("-".into(), |r| format!("{}x{}", r.likelihood, r.impact))
            };
            out.push(format!("  {} {} {}", r.scenario, w(r.before), w(r.after)));
        }
    }
    out.join("\n")
}

impl Store {
    async fn linkage_setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT text FROM linkage_settings WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| r.0))
    }

    async fn set_linkage_setting(
        &self,
        name: &str,
        before: String,
        text: String,
        by: &str,
    ) -> Result<(), StoreError> {
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            sqlx::query("DELETE FROM linkage_settings WHERE name = $1")
                .bind(name)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO linkage_settings (name, text, updated_by, updated_at) VALUES ($1, $2, $3, $4)")
                .bind(name)
                .bind(&text)
                .bind(by)
                .bind(now_stamp())
                .execute(&mut *tx)
                .await?;
            let action = if name == "matrix" { "linkage.matrix" } else { "linkage.catalogue" };
            let change = Change::new(action, name)
                .before(&before)
                .after(&text);
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// The ministry's catalogue of patterns (the built-in one until it
    /// saves its own).
    pub async fn linkage_catalogue(&self) -> Result<Catalogue, StoreError> {
        match self.linkage_setting("catalogue").await? {
            None => Ok(Catalogue::default()),
            Some(text) => Catalogue::read(&text)
                .map_err(|p| StoreError::Corrupt(format!("the stored catalogue: {}", p[0]))),
        }
    }

    /// Stores the ministry's catalogue (checked: identifiers once each).
    pub async fn set_linkage_catalogue(
        &self,
        catalogue: &Catalogue,
        by: &str,
    ) -> Result<(), StoreError> {
        catalogue.check().map_err(StoreError::Invalid)?;
        let before = self.linkage_catalogue().await?.print();
        self.set_linkage_setting("catalogue", before, catalogue.print(), by)
            .await
    }

    /// The ministry's risk matrix (the built-in one until it saves its own).
    pub async fn risk_matrix(&self) -> Result<RiskMatrix, StoreError> {
        match self.linkage_setting("matrix").await? {
            None => Ok(RiskMatrix::default()),
            Some(text) => RiskMatrix::read(&text)
                .map_err(|p| StoreError::Corrupt(format!("the stored risk matrix: {}", p[0]))),
        }
    }

    /// Stores the ministry's risk matrix.
    pub async fn set_risk_matrix(&self, matrix: &RiskMatrix, by: &str) -> Result<(), StoreError> {
        let before = self.risk_matrix().await?.print();
        self.set_linkage_setting("matrix", before, matrix.print(), by)
            .await
    }

    async fn uses_where(&self, body: Option<BodyCode>) -> Result<Vec<(BodyCode, Use)>, StoreError> {
        let filter = if body.is_some() {
            "WHERE u.body_code = $1"
        } else {
            ""
        };
        let sql = format!(
            "SELECT u.body_code, u.pattern, u.from_segment, u.to_segment, r.scenario, \
             r.before_likelihood, r.before_impact, r.after_likelihood, r.after_impact \
             FROM linkage_uses u LEFT JOIN linkage_ratings r ON r.body_code = u.body_code AND r.pattern = u.pattern \
             AND r.from_segment = u.from_segment AND r.to_segment = u.to_segment {filter} \
             ORDER BY u.body_code, u.position, r.scenario"
        );
        let mut q = sqlx::query(&sql);
        if let Some(b) = body {
            q = q.bind(b.to_string());
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut out: Vec<(BodyCode, Use)> = Vec::new();
        for r in &rows {
            let code: String = r.try_get("body_code")?;
            let code = BodyCode::parse(&code)
                .map_err(|_| StoreError::Corrupt(format!("body code {code:?}")))?;
            let pattern: String = r.try_get("pattern")?;
            let route = Route::new(
                segment(&r.try_get::<String, _>("from_segment")?)?,
                segment(&r.try_get::<String, _>("to_segment")?)?,
            )
            .ok_or_else(|| StoreError::Corrupt("a route within one segment".into()))?;
            let same = out
                .last()
                .is_some_and(|(c, u)| *c == code && u.pattern == pattern && u.route == route);
            if !same {
                out.push((
                    code,
                    Use {
                        pattern,
                        route,
                        ratings: Vec::new(),
                    },
                ));
            }
            let scenario: Option<String> = r.try_get("scenario")?;
            if let (Some(scenario), Some((_, u))) = (scenario, out.last_mut()) {
                u.ratings.push(ScenarioRating {
                    scenario,
                    before: rating(r.try_get("before_likelihood")?, r.try_get("before_impact")?),
                    after: rating(r.try_get("after_likelihood")?, r.try_get("after_impact")?),
                });
            }
        }
        Ok(out)
    }

    /// `body`'s uses with their ratings, in its order.
    pub async fn linkage_uses(&self, body: BodyCode) -> Result<Vec<Use>, StoreError> {
        Ok(self
            .uses_where(Some(body))
            .await?
            .into_iter()
            .map(|(_, u)| u)
            .collect())
    }

    /// Every body's uses, by body.
    pub async fn all_linkage_uses(&self) -> Result<Vec<(BodyCode, Vec<Use>)>, StoreError> {
        let mut out: Vec<(BodyCode, Vec<Use>)> = Vec::new();
        for (code, u) in self.uses_where(None).await? {
            match out.last_mut() {
                Some((c, list)) if *c == code => list.push(u),
                _ => out.push((code, vec![u])),
            }
        }
        Ok(out)
    }

    /// Stores `uses` as `body`'s whole list (refused, nothing written,
    /// when a use does not fit the ministry's catalogue).
    pub async fn save_linkage(
        &self,
        body: BodyCode,
        uses: &[Use],
        by: &str,
    ) -> Result<(), StoreError> {
        self.save_linkage_of(&[(body, uses.to_vec())], by).await
    }

    /// Stores the lists of several bodies in one transaction (the demo's
    /// nation): one audit event per body.
    pub async fn save_linkage_of(
        &self,
        lists: &[(BodyCode, Vec<Use>)],
        by: &str,
    ) -> Result<(), StoreError> {
        let catalogue = self.linkage_catalogue().await?;
        for (_, uses) in lists {
            check_uses(uses, &catalogue).map_err(StoreError::Invalid)?;
        }
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let stamp = now_stamp();
            let mut use_rows = Vec::new();
            let mut rating_rows = Vec::new();
            for (body, uses) in lists {
                let before = self.linkage_uses(*body).await?;
                for table in ["linkage_ratings", "linkage_uses"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE body_code = $1"))
                        .bind(body.to_string())
                        .execute(&mut *tx)
                        .await?;
                }
                for (i, u) in (0i64..).zip(uses) {
                    use_rows.push((body.to_string(), i, u));
                    rating_rows.extend(u.ratings.iter().map(|r| (body.to_string(), u, r)));
                }
                let change = Change::new("linkage.save", body.to_string())
                    .body(Some(*body))
                    .before(state_of(&before))
                    .after(state_of(uses));
                self.audit(&mut tx, change).await?;
            }
            for chunk in use_rows.chunks(BATCH) {
                let sql = insert_values(
                    &tx,
                    "INSERT INTO linkage_uses (body_code, position, pattern, from_segment, to_segment, updated_by, updated_at)",
                    7,
                    chunk.len(),
                    "",
                );
                let mut q = sqlx::query(&sql);
                for (code, position, u) in chunk {
                    q = q.bind(code.clone()).bind(*position).bind(u.pattern.clone())
                        .bind(u.route.from.id()).bind(u.route.to.id()).bind(by.to_string()).bind(stamp.clone());
                }
                q.execute(&mut *tx).await?;
            }
            let score = |r: Option<Rating>, f: fn(Rating) -> u8| r.map(|r| i64::from(f(r)));
            for chunk in rating_rows.chunks(BATCH) {
                let sql = insert_values(
                    &tx,
                    "INSERT INTO linkage_ratings (body_code, pattern, from_segment, to_segment, scenario, \
                     before_likelihood, before_impact, after_likelihood, after_impact)",
                    9,
                    chunk.len(),
                    "",
                );
                let mut q = sqlx::query(&sql);
                for (code, u, r) in chunk {
                    q = q.bind(code.clone()).bind(u.pattern.clone()).bind(u.route.from.id())
                        .bind(u.route.to.id()).bind(r.scenario.clone())
                        .bind(score(r.before, |r| r.likelihood)).bind(score(r.before, |r| r.impact))
                        .bind(score(r.after, |r| r.likelihood)).bind(score(r.after, |r| r.impact));
                }
                q.execute(&mut *tx).await?;
            }
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }
}
