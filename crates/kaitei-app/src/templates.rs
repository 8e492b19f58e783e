//! The Excel round trip of a consultation: a template per respondent,
//! pre-filled with its answer in preparation, and a filled template read
//! back — all or nothing — into the respondent's answer.

use kaitei_format::consultation_template::{TemplateErrors, read_identity, read_template};
use kaitei_model::consultation::Step;
use kaitei_model::{Document, JstTime};
use kaitei_report::consultation_template::{PrefilledComment, TemplateRow, TemplateSpec, template};
use kaitei_store::{Consultation, Respondent, Saved};

use crate::{App, Error, Result};

/// The version of a consultation's subject as templates name it: a
/// template made for an older frozen subject is refused.
pub fn subject_version(c: &Consultation) -> String {
    format!("改定案 第{}版（照会 {}）", c.draft_version, c.plan.id)
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportedAnswer {
    /// The answer was stored: how many comments, and whether it was also
    /// submitted.
    Stored {
        /// Who answered.
        respondent: Respondent,
        /// Comments stored.
        comments: usize,
        /// 意見なし.
        no_comment: bool,
        /// Submitted as well (the ministry imports e-mailed forms as
        /// submitted answers).
        submitted: bool,
    },
    /// The template held exactly what is stored: nothing was stored.
    Unchanged {
        /// Who answered.
        respondent: Respondent,
    },
}

/// Why a filled template was refused: the whole file, or its rows.
#[derive(Debug)]
pub enum ImportError {
    /// The file itself, or its identity, is wrong.
    File(String),
    /// These rows (1-based Excel rows) are wrong; nothing was stored.
    Rows(Vec<(usize, String)>),
    /// The application refused it (a closed window, a stale answer…).
    App(Error),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::File(m) => f.write_str(m),
            ImportError::Rows(rows) => {
                let lines: Vec<String> =
                    rows.iter().map(|(r, m)| format!("row {r}: {m}")).collect();
                f.write_str(&lines.join("\n"))
            }
            ImportError::App(e) => write!(f, "{e}"),
        }
    }
}

impl From<Error> for ImportError {
    fn from(e: Error) -> ImportError {
        ImportError::App(e)
    }
}

/// The template's rows: every node of the subject in document order.
fn rows(subject: &Document) -> Vec<TemplateRow> {
    subject
        .located()
        .into_iter()
        .map(|l| TemplateRow {
            key: l.node.key.as_str().to_string(),
            label_path: match (&l.node.title, l.path.last()) {
                (Some(t), _) => format!("{} {t}", l.path.join(" / ")).trim().to_string(),
                (None, _) => l.path.join(" / "),
            },
            text: l.node.text(),
            comments: Vec::new(),
        })
        .collect()
}

impl App {
    /// `respondent`'s template for consultation `id`, pre-filled with its
    /// answer in preparation; returns the file name and the bytes.
    pub async fn answer_template(
        &self,
        id: &str,
        respondent: &Respondent,
    ) -> Result<(String, Vec<u8>)> {
        let (c, subject) = self.consultation(id).await?;
        let answer = self.store.answer(id, respondent).await?;
        let mut rows = rows(&subject);
        if let Some(a) = &answer {
            for sc in &a.comments {
                if let Some(row) = rows.iter_mut().find(|r| r.key == sc.comment.clause) {
                    row.comments.push(PrefilledComment::new(
                        sc.comment.kind,
                        &sc.comment.quote.exact,
                        &sc.comment.text,
                        &sc.comment.proposal,
                    ));
                }
            }
        }
        let spec = TemplateSpec {
            consultation: c.plan.id.clone(),
            consultation_title: c.title.clone(),
            subject_name: subject.meta.title.clone(),
            subject_version: subject_version(&c),
            closes: c.plan.window.closes.wareki(),
            body_code: respondent.key(),
            body_name: respondent.name(),
            rows,
            no_comment: answer.as_ref().is_some_and(|a| a.no_comment),
        };
        let bytes = template(&spec).map_err(|e| Error::Internal(e.to_string()))?;
        let name = format!(
            "{}_{}_{}.xlsx",
            c.plan.id,
            respondent.key().replace(':', "-"),
            respondent.name()
        );
        Ok((name, bytes))
    }

    /// Reads a filled template and stores it as its respondent's answer:
    /// `only` (a body officer's upload) must be the template's respondent;
    /// `submit` also submits it (the ministry importing an e-mailed form).
    /// Nothing is stored unless the whole file is valid.
    pub async fn import_answer(
        &self,
        bytes: &[u8],
        only: Option<&Respondent>,
        submit: bool,
        by: &str,
        now: JstTime,
    ) -> std::result::Result<ImportedAnswer, ImportError> {
        // The identity first, to know the subject to check the rows against.
        let identity = read_identity(bytes).map_err(|e| ImportError::File(e.to_string()))?;
        let (cid, body, version) = (
            identity.consultation,
            identity.body,
            identity.subject_version,
        );
        let (c, subject) = self.consultation(&cid).await.map_err(|_| {
            ImportError::File(format!(
                "the template is for consultation {cid:?}, which does not exist"
            ))
        })?;
        let respondent = Respondent::from_key(&body).ok_or_else(|| {
            ImportError::File(format!(
                "the template names {body:?}, which is no body or vendor"
            ))
        })?;
        if let Some(only) = only
            && *only != respondent
        {
            return Err(ImportError::File(format!(
                "this template is {}'s ({}), not yours ({}): download your own from the consultation's page",
                respondent.name(),
                respondent.key(),
                only.name()
            )));
        }
        if !respondent.asked_in(&c) {
            return Err(ImportError::File(format!(
                "{} ({}) is not asked in consultation {}",
                respondent.name(),
                respondent.key(),
                c.plan.id
            )));
        }
        let expected = subject_version(&c);
        if version != expected {
            return Err(ImportError::File(format!(
                "the template was made for {version:?}, but consultation {} is on {expected:?}: download a new template",
                c.plan.id
            )));
        }
        let filled = read_template(bytes, |key| {
            subject
                .nodes()
                .find(|n| n.key.as_str() == key)
                .map(|n| n.text())
        })
        .map_err(|e| match e {
            TemplateErrors::File(e) => ImportError::File(e.to_string()),
            TemplateErrors::Rows(rows) => ImportError::Rows(
                rows.into_iter()
                    .map(|r| (r.row, format!("{}: {}", r.field, r.message)))
                    .collect(),
            ),
        })?;
        let comments: Vec<_> = filled.comments.into_iter().map(|(_, c)| c).collect();
        if comments.is_empty() && !filled.no_comment {
            return Err(ImportError::File(
                "nothing is filled in: write comments, or choose ○ in 意見なし".into(),
            ));
        }
        let current = self
            .store
            .answer(&cid, &respondent)
            .await
            .map_err(Error::from)?;
        let base = current.as_ref().map_or(0, |a| a.version);
        if let Some(a) = &current
            && !a.status.editable()
            && a.no_comment == filled.no_comment
            && a.comments.iter().map(|s| &s.comment).eq(comments.iter())
        {
            return Ok(ImportedAnswer::Unchanged { respondent });
        }
        let saved = self
            .store
            .save_answer(
                &c,
                &respondent,
                &comments,
                filled.no_comment,
                base,
                by,
                now,
                "imported",
            )
            .await
            .map_err(Error::from)?;
        let mut submitted = false;
        if submit {
            self.store
                .answer_step(&c, &respondent, Step::Submit, "", by, now)
                .await
                .map_err(Error::from)?;
            submitted = true;
        }
        Ok(match saved {
            Saved::Unchanged if !submitted => ImportedAnswer::Unchanged { respondent },
            _ => ImportedAnswer::Stored {
                respondent,
                comments: comments.len(),
                no_comment: filled.no_comment,
                submitted,
            },
        })
    }
}
