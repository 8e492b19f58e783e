//! Japanese substring search over stored documents through a bigram index.

use std::collections::BTreeSet;

use kaitei_model::text::normalize;
use kaitei_model::{BodyCode, Document, DocumentKind, clause_name};
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

/// A bigram as its two characters: pairs sort as their text does (UTF-8
/// keeps the order of code points, and SQLite compares text bytewise).
type Pair = (char, char);

/// The bigrams of a whole document (titles, text, commentary), sorted,
/// each once. Gathered as pairs of characters and made text at the end:
/// a set of strings would allocate for each of the tens of thousands.
fn document_pairs(doc: &Document) -> Vec<Pair> {
    let mut out = Vec::new();
    for n in doc.nodes() {
        for s in n.title.iter().chain(&n.paragraphs).chain(&n.commentary) {
            let mut prev = None;
            for c in normalize(s).chars().filter(|c| !c.is_whitespace()) {
                if let Some(p) = prev {
                    out.push((p, c));
                }
                prev = Some(c);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The bigrams of a whole document (titles, text, commentary).
pub fn document_bigrams(doc: &Document) -> BTreeSet<String> {
    document_pairs(doc)
        .into_iter()
        .map(|(a, b)| [a, b].iter().collect())
        .collect()
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
    /// The document's date (公表日), if it has one.
    pub published: Option<String>,
    /// For a policy, its body.
    pub body: Option<BodyCode>,
    /// Whether its body made a policy public.
    pub public: bool,
    /// The clause's key.
    pub key: String,
    /// Its label (or title).
    pub label: String,
    /// Its label path from the top of the document down, each step its
    /// label as written (or, for an unlabelled heading, its title).
    pub path: Vec<String>,
    /// What it is called: its title or caption, or an item's first line
    /// that names it ([`kaitei_model::clause_name`]).
    pub title: Option<String>,
    /// What its nearest named ancestor is called (for a clause without a
    /// name of its own, what it is about).
    pub section: Option<String>,
    /// The paragraph, title or commentary that matched.
    pub text: String,
}

/// The most hits one search returns.
pub const MAX_HITS: usize = 200;

/// A stored document a search may look in.
struct Candidate {
    id: i64,
    kind: DocumentKind,
    edition: String,
    published: Option<String>,
    body: Option<BodyCode>,
    public: bool,
}

/// A node as search reads it.
struct Found {
    parent: Option<usize>,
    segment: String,
    /// What it is called ([`kaitei_model::clause_name`]).
    name: Option<String>,
}

impl Store {
    /// Records a document's bigrams (inside the import's transaction).
    pub(crate) async fn index_bigrams(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        doc: &Document,
    ) -> Result<(), StoreError> {
        Store::add_bigrams(tx, id, document_bigrams(doc)).await
    }

    /// Records the bigrams of several documents just stored, `(id,
    /// document)`, in the index's own order: one pass along the index
    /// instead of one for each document, each touching pages all over it.
    pub(crate) async fn index_bigrams_of_many(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        docs: &[(i64, &Document)],
    ) -> Result<(), StoreError> {
        let mut all: Vec<(Pair, i64)> = Vec::new();
        for (id, doc) in docs {
            all.extend(document_pairs(doc).into_iter().map(|p| (p, *id)));
        }
        all.sort_unstable();
        let rows: Vec<(String, i64)> = all
            .into_iter()
            .map(|((a, b), id)| ([a, b].iter().collect(), id))
            .collect();
        Store::insert_bigrams(tx, &rows).await
    }

    /// Inserts index rows `(bigram, document id)`, keeping those there.
    async fn insert_bigrams(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        rows: &[(String, i64)],
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(400) {
            let sql = crate::sql::insert_values(
                tx,
                "INSERT INTO doc_bigrams (bigram, document_id)",
                2,
                chunk.len(),
                " ON CONFLICT DO NOTHING",
            );
            let mut q = sqlx::query(&sql);
            for (bigram, id) in chunk {
                q = q.bind(bigram.clone()).bind(*id);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
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
        let rows: Vec<(String, i64)> = bigrams.into_iter().map(|b| (b, id)).collect();
        Store::insert_bigrams(tx, &rows).await
    }

    /// Clauses containing `query` (at least two characters after NFKC),
    /// from documents `visible` admits, at most [`MAX_HITS`] (see
    /// [`Store::search_up_to`]).
    pub async fn search(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
    ) -> Result<Vec<Hit>, StoreError> {
        Ok(self.search_up_to(query, visible, MAX_HITS).await?.0)
    }

    /// Clauses containing `query` (at least two characters after NFKC),
    /// from documents `visible` admits, at most `limit`, and whether there
    /// were more. Documents come newest first — guideline editions before
    /// policies, each by its date, then the latest stored — and a
    /// document's hits together, in its order.
    pub async fn search_up_to(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        limit: usize,
    ) -> Result<(Vec<Hit>, bool), StoreError> {
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
        // The documents holding every bigram, with what visibility needs,
        // in one query: at national scale a common word is in every
        // policy, and a query per document would cost more than the rest.
        let mut sql = String::from(
            "SELECT d.id, d.kind, d.edition, d.published, d.body_code, d.made_public FROM documents d \
             JOIN (SELECT document_id FROM doc_bigrams WHERE bigram IN (",
        );
        for i in 0..grams.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", i + 1));
        }
        sql.push_str(&format!(
            ") GROUP BY document_id HAVING COUNT(*) = {}) c ON c.document_id = d.id",
            grams.len()
        ));
        let mut q = sqlx::query(&sql);
        for g in &grams {
            q = q.bind(g);
        }
        let mut candidates = Vec::new();
        for row in q.fetch_all(&self.pool).await? {
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
            candidates.push(Candidate {
                id: row.try_get("id")?,
                kind,
                edition: row.try_get("edition")?,
                published: row.try_get("published")?,
                body,
                public,
            });
        }
        // Newest first: guidelines, then policies by body; within each,
        // the later date (ISO text sorts as dates; none last), then the
        // later import.
        candidates.sort_by(|a, b| {
            let rank = |c: &Candidate| u8::from(c.kind != DocumentKind::Guideline);
            rank(a)
                .cmp(&rank(b))
                .then_with(|| a.body.cmp(&b.body))
                .then_with(|| b.published.cmp(&a.published))
                .then_with(|| b.id.cmp(&a.id))
        });
        let mut hits = Vec::new();
        for doc in candidates {
            let nodes = sqlx::query(
                "SELECT ord, parent_ord, node_key, label, title, body_text, commentary FROM nodes WHERE document_id = $1 ORDER BY ord",
            )
            .bind(doc.id)
            .fetch_all(&self.pool)
            .await?;
            // Nodes come in document order, so a parent is read before its
            // children.
            let mut read: Vec<Found> = Vec::with_capacity(nodes.len());
            let mut position: std::collections::HashMap<i64, usize> =
                std::collections::HashMap::with_capacity(nodes.len());
            for n in nodes {
                let title: Option<String> = n.try_get("title")?;
                let label: Option<String> = n.try_get("label")?;
                position.insert(n.try_get("ord")?, read.len());
                let parent = n
                    .try_get::<Option<i64>, _>("parent_ord")?
                    .and_then(|p| position.get(&p).copied());
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
                let paragraphs: Vec<&str> = text.split('\n').collect();
                let node = Found {
                    parent,
                    segment: label.clone().or_else(|| title.clone()).unwrap_or_default(),
                    name: clause_name(title.as_deref(), &paragraphs).map(str::to_string),
                };
                read.push(node);
                let Some(text) = found else { continue };
                if hits.len() >= limit {
                    return Ok((hits, true));
                }
                let (path, section) = path_of(&read, read.len() - 1);
                let node = &read[read.len() - 1];
                hits.push(Hit {
                    document_id: doc.id,
                    kind: doc.kind,
                    edition: doc.edition.clone(),
                    published: doc.published.clone(),
                    body: doc.body,
                    public: doc.public,
                    key: n.try_get("node_key")?,
                    label: label.or(title).unwrap_or_default(),
                    path,
                    title: node.name.clone(),
                    section,
                    text,
                });
            }
        }
        Ok((hits, false))
    }
}

/// The label path of node `at` and the name of its nearest named
/// ancestor.
fn path_of(read: &[Found], at: usize) -> (Vec<String>, Option<String>) {
    let mut path = vec![read[at].segment.clone()];
    let mut section = None;
    let mut parent = read[at].parent;
    // A parent comes before its child, so the walk goes up and ends.
    while let Some(p) = parent.filter(|&p| p < at) {
        path.push(read[p].segment.clone());
        if section.is_none() {
            section = read[p].name.clone();
        }
        parent = read[p].parent.filter(|&q| q < p);
    }
    path.reverse();
    (path, section)
}
