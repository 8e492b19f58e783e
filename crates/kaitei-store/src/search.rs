//! Japanese substring search over stored documents through a bigram index.

use std::collections::BTreeSet;

use kaitei_model::text::normalize;
use kaitei_model::{BodyCode, Document, DocumentKind};
use sqlx::Row;

use crate::{Store, StoreError};

/// The distinct character bigrams of `text` after NFKC, white space removed.
pub fn bigrams(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = normalize(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The bigrams of a whole document (titles, text, commentary).
pub fn document_bigrams(doc: &Document) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for n in doc.nodes() {
        for s in n.title.iter().chain(&n.paragraphs).chain(&n.commentary) {
            out.extend(bigrams(s));
        }
    }
    out
}

/// A clause that contains the searched text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The document's row id.
    pub document_id: i64,
    /// Guideline or policy.
    pub kind: DocumentKind,
    /// The document's edition name.
    pub edition: String,
    /// For a policy, its body.
    pub body: Option<BodyCode>,
    /// Whether its body made a policy public.
    pub public: bool,
    /// The clause's key.
    pub key: String,
    /// Its label (or title).
    pub label: String,
    /// The paragraph, title or commentary that matched.
    pub text: String,
}

/// The most hits one search returns.
pub const MAX_HITS: usize = 200;

impl Store {
    /// Records a document's bigrams (inside the import's transaction).
    pub(crate) async fn index_bigrams(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        doc: &Document,
    ) -> Result<(), StoreError> {
        Store::add_bigrams(tx, id, document_bigrams(doc)).await
    }

    /// Adds `bigrams` to document `id`'s (those it has already are kept):
    /// an edited clause must be found by its new words. Bigrams an edit
    /// removed stay until the document is stored anew; they only make the
    /// document a candidate, never a hit.
    pub(crate) async fn add_bigrams(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        bigrams: BTreeSet<String>,
    ) -> Result<(), StoreError> {
        let all: Vec<String> = bigrams.into_iter().collect();
        for chunk in all.chunks(400) {
            let sql = crate::sql::insert_values(
                "INSERT INTO doc_bigrams (bigram, document_id)",
                2,
                chunk.len(),
                " ON CONFLICT DO NOTHING",
            );
            let mut q = sqlx::query(&sql);
            for b in chunk {
                q = q.bind(b.clone()).bind(id);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Clauses containing `query` (at least two characters after NFKC),
    /// from documents `visible` admits, at most [`MAX_HITS`].
    pub async fn search(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
    ) -> Result<Vec<Hit>, StoreError> {
        let needle: String = normalize(query)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let grams: Vec<String> = bigrams(&needle).into_iter().collect();
        if grams.is_empty() {
            return Err(StoreError::Invalid(
                "search for at least two characters".into(),
            ));
        }
        let mut sql = String::from("SELECT document_id FROM doc_bigrams WHERE bigram IN (");
        for i in 0..grams.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", i + 1));
        }
        sql.push_str(&format!(
            ") GROUP BY document_id HAVING COUNT(*) = {}",
            grams.len()
        ));
        let mut q = sqlx::query(&sql);
        for g in &grams {
            q = q.bind(g);
        }
        let candidates: Vec<i64> = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("document_id"))
            .collect::<Result<_, _>>()?;
        let mut hits = Vec::new();
        for id in candidates {
            let row = sqlx::query(
                "SELECT kind, edition, body_code, made_public FROM documents WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
            let kind: String = row.try_get("kind")?;
            let Some(kind) = DocumentKind::parse(&kind) else {
                continue;
            };
            let body: Option<String> = row.try_get("body_code")?;
            let body = body.as_deref().and_then(|b| BodyCode::parse(b).ok());
            let public = row.try_get::<i64, _>("made_public")? != 0;
            if !visible(kind, body, public) {
                continue;
            }
            let edition: String = row.try_get("edition")?;
            let nodes = sqlx::query(
                "SELECT node_key, label, title, body_text, commentary FROM nodes WHERE document_id = $1 ORDER BY ord",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            for n in nodes {
                let title: Option<String> = n.try_get("title")?;
                let text: String = n.try_get("body_text")?;
                let commentary: String = n.try_get("commentary")?;
                let found = title
                    .iter()
                    .map(String::as_str)
                    .chain(text.split('\n'))
                    .chain(commentary.split('\n'))
                    .find(|s| {
                        normalize(s)
                            .chars()
                            .filter(|c| !c.is_whitespace())
                            .collect::<String>()
                            .contains(&needle)
                    })
                    .map(str::to_string);
                if let Some(text) = found {
                    let label: Option<String> = n.try_get("label")?;
                    hits.push(Hit {
                        document_id: id,
                        kind,
                        edition: edition.clone(),
                        body,
                        public,
                        key: n.try_get("node_key")?,
                        label: label.or(title).unwrap_or_default(),
                        text,
                    });
                    if hits.len() >= MAX_HITS {
                        return Ok(hits);
                    }
                }
            }
        }
        Ok(hits)
    }
}
