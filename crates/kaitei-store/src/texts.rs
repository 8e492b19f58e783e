//! Text stored once (migration 0017): a document's nodes are rows of their
//! place and *shape*; a shape (key, kind, label, provenance and its texts)
//! and each text are stored once however many documents hold them, and a
//! text's bigrams are indexed once. Most of a body's policy is the
//! guideline's own words, so a national database shrinks about fourfold
//! and a policy's import writes little beyond its own rows.
//!
//! Readers see the `nodes` view, the table they always saw; this module is
//! the only writer of the tables behind it.

use std::collections::{BTreeSet, HashMap, HashSet};

use kaitei_model::text::normalize;
use kaitei_model::{Node, Status};
use sqlx::Row;

use crate::sql::insert_values;
use crate::{Store, StoreError};

/// What stands for a missing value in a shape's signature.
const NONE: char = '\u{18}';
/// What separates a signature's fields.
const SEPARATOR: char = '\u{1f}';

/// The most texts left out of the bigram index (a search reads them
/// whole).
pub(crate) const PENDING_TEXTS: i64 = 1_000;
/// The most documents left out of the shape index (a search reads their
/// nodes).
pub(crate) const PENDING_DOCUMENTS: i64 = 48;

/// Texts looked up or inserted per statement: far below every backend's
/// limit on bound parameters.
const CHUNK: usize = 200;

/// Whether `conn` talks to PostgreSQL (texts are found there by their MD5:
/// a long text is past what a b-tree entry may hold).
fn postgres(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name() != "SQLite"
}

/// A node apart from its place: the columns of `node_shapes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    pub(crate) key: String,
    pub(crate) key_pinned: bool,
    pub(crate) kind: String,
    pub(crate) label: Option<String>,
    pub(crate) label_style: Option<String>,
    pub(crate) title_id: Option<i64>,
    pub(crate) body_id: i64,
    pub(crate) commentary_id: i64,
    pub(crate) from_key: Option<String>,
    pub(crate) status: Option<String>,
}

impl Shape {
    /// The text a shape is found by: its columns joined by U+001F, a
    /// missing value as U+0018 — as migration 0017 makes it in SQL.
    pub(crate) fn signature(&self) -> String {
        let none = NONE.to_string();
        let fields = [
            self.key.clone(),
            if self.key_pinned { "1" } else { "0" }.to_string(),
            self.kind.clone(),
            self.label.clone().unwrap_or_else(|| none.clone()),
            self.label_style.clone().unwrap_or_else(|| none.clone()),
            self.title_id
                .map_or_else(|| none.clone(), |i| i.to_string()),
            self.body_id.to_string(),
            self.commentary_id.to_string(),
            self.from_key.clone().unwrap_or_else(|| none.clone()),
            self.status.clone().unwrap_or(none),
        ];
        fields.join(&SEPARATOR.to_string())
    }

    /// The shape of `node`, its texts given by `ids`.
    fn of(node: &Node, ids: &HashMap<String, i64>) -> Shape {
        let id = |s: &str| ids[s];
        Shape {
            key: node.key.as_str().to_string(),
            key_pinned: node.key_pinned,
            kind: node.kind.as_str().to_string(),
            label: node.label.as_ref().map(|l| l.written().to_string()),
            label_style: node.label.as_ref().map(|l| l.style().name().to_string()),
            title_id: node.title.as_deref().map(id),
            body_id: id(&node.paragraphs.join("\n")),
            commentary_id: id(&node.commentary.join("\n")),
            from_key: node.from.as_ref().map(|k| k.as_str().to_string()),
            status: node.status.map(|s| Status::as_str(s).to_string()),
        }
    }

    /// The shape in a row of `node_shapes`.
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Shape, StoreError> {
        Ok(Shape {
            key: row.try_get("node_key")?,
            key_pinned: row.try_get::<i64, _>("key_pinned")? != 0,
            kind: row.try_get("kind")?,
            label: row.try_get("label")?,
            label_style: row.try_get("label_style")?,
            title_id: row.try_get("title_id")?,
            body_id: row.try_get("body_id")?,
            commentary_id: row.try_get("commentary_id")?,
            from_key: row.try_get("from_key")?,
            status: row.try_get("status")?,
        })
    }
}

/// `strings` as a JSON array (how an array reaches PostgreSQL through a
/// driver that binds none).
fn json_strings(strings: &[String]) -> String {
    let mut out = String::from("[");
    for (i, s) in strings.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push(']');
    out
}

/// The rows of a text's bigrams: those of each line (a title, a paragraph,
/// a line of commentary) after NFKC, white space removed, each once and in
/// order. A search looks for its words within one line, so no bigram
/// spans two.
fn text_bigrams(text: &str) -> BTreeSet<(char, char)> {
    let mut out = BTreeSet::new();
    for line in text.split('\n') {
        let mut prev = None;
        for c in normalize(line).chars().filter(|c| !c.is_whitespace()) {
            if let Some(p) = prev {
                out.insert((p, c));
            }
            prev = Some(c);
        }
    }
    out
}

/// Whether `text` holds one of the two characters the store packs rows
/// and fields with (U+001E, U+001F). No stored text does: the parser
/// refuses control characters, and [`Store::text_ids`] refuses such a
/// text from anywhere else, so that packed reads need not escape them.
pub(crate) fn holds_separator(text: &str) -> bool {
    memchr::memchr2(0x1e, 0x1f, text.as_bytes()).is_some()
}

impl Store {
    /// The ids of `strings` in `texts`, storing (and indexing) those not
    /// there yet, inside transaction `tx`.
    pub(crate) async fn text_ids(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        strings: &BTreeSet<&str>,
    ) -> Result<HashMap<String, i64>, StoreError> {
        let wanted: Vec<&str> = strings.iter().copied().collect();
        let mut ids = Store::find_texts(tx, &wanted).await?;
        let missing: Vec<&str> = wanted
            .iter()
            .copied()
            .filter(|s| !ids.contains_key(*s))
            .collect();
        if missing.is_empty() {
            return Ok(ids);
        }
        if let Some(bad) = missing.iter().find(|s| holds_separator(s)) {
            return Err(StoreError::Invalid(format!(
                "a text holds a control character (U+001E or U+001F), which no text may: {:?}",
                bad.chars().take(40).collect::<String>()
            )));
        }
        for chunk in missing.chunks(CHUNK) {
            // Not indexed yet: see `index_pending`.
            let sql = insert_values(
                tx,
                "INSERT INTO texts (body)",
                1,
                chunk.len(),
                " ON CONFLICT DO NOTHING RETURNING id, body",
            );
            let mut q = sqlx::query(&sql);
            for s in chunk {
                q = q.bind(*s);
            }
            for row in q.fetch_all(&mut **tx).await? {
                ids.insert(row.try_get("body")?, row.try_get("id")?);
            }
        }
        // On PostgreSQL a text another transaction stored meanwhile was
        // skipped above (it waited for that one to commit): found now.
        let still: Vec<&str> = missing
            .into_iter()
            .filter(|s| !ids.contains_key(*s))
            .collect();
        if !still.is_empty() {
            ids.extend(Store::find_texts(tx, &still).await?);
        }
        if let Some(lost) = wanted.iter().find(|s| !ids.contains_key(**s)) {
            return Err(StoreError::Corrupt(format!(
                "a text could not be stored (another text has its digest): {:?}",
                lost.chars().take(40).collect::<String>()
            )));
        }
        Ok(ids)
    }

    /// The ids of those of `wanted` stored in `texts`.
    async fn find_texts(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        wanted: &[&str],
    ) -> Result<HashMap<String, i64>, StoreError> {
        let mut ids = HashMap::with_capacity(wanted.len());
        let by_digest = postgres(tx);
        for chunk in wanted.chunks(CHUNK) {
            let (head, each) = if by_digest {
                ("SELECT id, body FROM texts WHERE md5(body) IN", "md5")
            } else {
                ("SELECT id, body FROM texts WHERE body IN", "")
            };
            let list: Vec<String> = (1..=chunk.len())
                .map(|i| {
                    if by_digest {
                        format!("{each}(${i})")
                    } else {
                        "?".to_string()
                    }
                })
                .collect();
            let sql = format!("{head} ({})", list.join(", "));
            let mut q = sqlx::query(&sql);
            for s in chunk {
                q = q.bind(*s);
            }
            for row in q.fetch_all(&mut **tx).await? {
                let body: String = row.try_get("body")?;
                // A digest's match is checked whole.
                if chunk.contains(&body.as_str()) {
                    ids.insert(body, row.try_get("id")?);
                }
            }
        }
        Ok(ids)
    }

    /// Records the bigrams of texts just stored, `(id, text)`: on SQLite a
    /// row per bigram and text, in the index's own order (one pass along
    /// it); on PostgreSQL a row per text, its bigrams as an array (the
    /// GIN index over them keeps its posting lists compressed).
    pub(crate) async fn index_texts(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        texts: &[(i64, &str)],
    ) -> Result<(), StoreError> {
        if postgres(tx) {
            for chunk in texts.chunks(CHUNK) {
                let mut sql = String::from("INSERT INTO text_grams (text_id, grams) VALUES ");
                for i in 0..chunk.len() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!(
                        "(${}, ARRAY(SELECT jsonb_array_elements_text(CAST(${} AS jsonb))))",
                        2 * i + 1,
                        2 * i + 2
                    ));
                }
                sql.push_str(" ON CONFLICT DO NOTHING");
                let mut q = sqlx::query(&sql);
                for (id, text) in chunk {
                    let grams: Vec<String> = text_bigrams(text)
                        .into_iter()
                        .map(|(a, b)| String::from_iter([a, b]))
                        .collect();
                    q = q.bind(*id).bind(json_strings(&grams));
                }
                q.execute(&mut **tx).await?;
            }
            return Ok(());
        }
        let mut all: Vec<((char, char), i64)> = Vec::new();
        for (id, text) in texts {
            all.extend(text_bigrams(text).into_iter().map(|p| (p, *id)));
        }
        all.sort_unstable();
        for chunk in all.chunks(400) {
            let sql = insert_values(
                tx,
                "INSERT INTO text_bigrams (bigram, text_id)",
                2,
                chunk.len(),
                " ON CONFLICT DO NOTHING",
            );
            let mut q = sqlx::query(&sql);
            for ((a, b), id) in chunk {
                q = q.bind(String::from_iter([*a, *b])).bind(*id);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Brings the search's indexes up to date inside transaction `tx`:
    /// the bigrams of texts stored since (and of texts a migration carried
    /// over), the shapes of documents stored since. Done a batch at a
    /// time, not with each document: written in the indexes' own order,
    /// each page of them is written once per batch instead of once per
    /// document. A search reads what is not indexed yet directly.
    pub(crate) async fn index_pending(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ) -> Result<(), StoreError> {
        let rows = sqlx::query("SELECT id, body FROM texts WHERE indexed = 0")
            .fetch_all(&mut **tx)
            .await?;
        if !rows.is_empty() {
            let texts: Vec<(i64, String)> = rows
                .iter()
                .map(|r| Ok((r.try_get("id")?, r.try_get("body")?)))
                .collect::<Result<_, StoreError>>()?;
            let borrowed: Vec<(i64, &str)> = texts.iter().map(|(i, t)| (*i, t.as_str())).collect();
            Store::index_texts(tx, &borrowed).await?;
            let last = texts.iter().map(|t| t.0).max().unwrap_or(0);
            sqlx::query("UPDATE texts SET indexed = 1 WHERE indexed = 0 AND id <= $1")
                .bind(last)
                .execute(&mut **tx)
                .await?;
        }
        let (last,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(id) FROM documents WHERE indexed = 0")
                .fetch_one(&mut **tx)
                .await?;
        if let Some(last) = last {
            sqlx::query(
                "INSERT INTO shape_nodes (shape_id, document_id, ord) \
                 SELECT r.shape_id, r.document_id, r.ord FROM node_rows r JOIN documents d ON d.id = r.document_id \
                 WHERE d.indexed = 0 AND d.id <= $1 ORDER BY r.shape_id, r.document_id, r.ord \
                 ON CONFLICT DO NOTHING",
            )
            .bind(last)
            .execute(&mut **tx)
            .await?;
            sqlx::query("UPDATE documents SET indexed = 1 WHERE indexed = 0 AND id <= $1")
                .bind(last)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// [`Store::index_pending`] when enough waits: at most
    /// [`PENDING_TEXTS`] texts and [`PENDING_DOCUMENTS`] documents are
    /// ever left for a search to read directly.
    pub(crate) async fn index_if_due(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    ) -> Result<(), StoreError> {
        let (texts, documents): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM texts WHERE indexed = 0), \
                    (SELECT COUNT(*) FROM documents WHERE indexed = 0)",
        )
        .fetch_one(&mut **tx)
        .await?;
        if texts >= PENDING_TEXTS || documents >= PENDING_DOCUMENTS {
            Store::index_pending(tx).await?;
        }
        Ok(())
    }

    /// Brings the search's indexes up to date (see
    /// [`Store::index_pending`]): after a batch of imports, and on opening
    /// (a migration leaves texts to index).
    pub async fn index_now(&self) -> Result<(), StoreError> {
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            Store::index_pending(&mut tx).await?;
            self.commit(tx).await
        })
        .await
    }

    /// The ids of `shapes` in `node_shapes`, by signature, storing those
    /// not there yet.
    pub(crate) async fn shape_ids(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        shapes: &[Shape],
    ) -> Result<HashMap<String, i64>, StoreError> {
        let mut by_signature: HashMap<String, &Shape> = HashMap::new();
        for s in shapes {
            by_signature.entry(s.signature()).or_insert(s);
        }
        let signatures: Vec<&String> = by_signature.keys().collect();
        let mut ids = Store::find_shapes(tx, &signatures).await?;
        let missing: Vec<&String> = signatures
            .iter()
            .copied()
            .filter(|s| !ids.contains_key(*s))
            .collect();
        for chunk in missing.chunks(CHUNK / 2) {
            let sql = insert_values(
                tx,
                "INSERT INTO node_shapes (signature, node_key, key_pinned, kind, label, label_style, \
                 title_id, body_id, commentary_id, from_key, status)",
                11,
                chunk.len(),
                " ON CONFLICT DO NOTHING RETURNING id, signature",
            );
            let mut q = sqlx::query(&sql);
            for signature in chunk {
                let s = by_signature[*signature];
                q = q
                    .bind((*signature).clone())
                    .bind(s.key.clone())
                    .bind(i64::from(s.key_pinned))
                    .bind(s.kind.clone())
                    .bind(s.label.clone())
                    .bind(s.label_style.clone())
                    .bind(s.title_id)
                    .bind(s.body_id)
                    .bind(s.commentary_id)
                    .bind(s.from_key.clone())
                    .bind(s.status.clone());
            }
            for row in q.fetch_all(&mut **tx).await? {
                ids.insert(row.try_get("signature")?, row.try_get("id")?);
            }
        }
        // Stored by another transaction meanwhile (PostgreSQL).
        let still: Vec<&String> = missing
            .into_iter()
            .filter(|s| !ids.contains_key(*s))
            .collect();
        if !still.is_empty() {
            ids.extend(Store::find_shapes(tx, &still).await?);
        }
        if ids.len() < signatures.len() {
            return Err(StoreError::Corrupt(
                "a node's shape could not be stored".into(),
            ));
        }
        Ok(ids)
    }

    async fn find_shapes(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        signatures: &[&String],
    ) -> Result<HashMap<String, i64>, StoreError> {
        let mut ids = HashMap::with_capacity(signatures.len());
        for chunk in signatures.chunks(CHUNK) {
            let sql = crate::sql::in_list(
                "SELECT id, signature FROM node_shapes WHERE signature IN",
                1,
                chunk.len(),
            );
            let mut q = sqlx::query(&sql);
            for s in chunk {
                q = q.bind((*s).clone());
            }
            for row in q.fetch_all(&mut **tx).await? {
                ids.insert(row.try_get("signature")?, row.try_get("id")?);
            }
        }
        Ok(ids)
    }

    /// Writes `doc`'s nodes under document `id` (inside a transaction; the
    /// rows must not exist yet): its texts and shapes where new, then a
    /// row per node. Refuses two nodes with one key.
    pub(crate) async fn write_document_nodes(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        rows: &[(i64, Option<i64>, &Node)],
    ) -> Result<(), StoreError> {
        let mut keys = HashSet::with_capacity(rows.len());
        if let Some((_, _, n)) = rows.iter().find(|(_, _, n)| !keys.insert(n.key.as_str())) {
            return Err(StoreError::Invalid(format!(
                "two nodes have the key {}: each needs its own",
                n.key.as_str()
            )));
        }
        let joined: Vec<(String, String)> = rows
            .iter()
            .map(|(_, _, n)| (n.paragraphs.join("\n"), n.commentary.join("\n")))
            .collect();
        let mut strings: BTreeSet<&str> = BTreeSet::new();
        for ((_, _, n), (text, commentary)) in rows.iter().zip(&joined) {
            strings.extend(n.title.as_deref());
            strings.insert(text);
            strings.insert(commentary);
        }
        let ids = Store::text_ids(tx, &strings).await?;
        let shapes: Vec<Shape> = rows.iter().map(|(_, _, n)| Shape::of(n, &ids)).collect();
        let shape_ids = Store::shape_ids(tx, &shapes).await?;
        for chunk in rows.iter().zip(&shapes).collect::<Vec<_>>().chunks(250) {
            let sql = insert_values(
                tx,
                "INSERT INTO node_rows (document_id, ord, parent_ord, shape_id)",
                4,
                chunk.len(),
                "",
            );
            let mut q = sqlx::query(&sql);
            for ((ord, parent, _), shape) in chunk {
                q = q
                    .bind(id)
                    .bind(*ord)
                    .bind(*parent)
                    .bind(shape_ids[&shape.signature()]);
            }
            q.execute(&mut **tx).await?;
        }
        Store::index_if_due(tx).await
    }

    /// Gives clause `key` of document `id` the text `text` (inside a
    /// transaction): a new shape, its status `modified` where it comes
    /// from the guideline. Returns the text it had, or `None` when the
    /// document has no such clause.
    pub(crate) async fn replace_node_text(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        key: &str,
        text: &str,
    ) -> Result<Option<String>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT r.ord, s.node_key, s.key_pinned, s.kind, s.label, s.label_style, s.title_id, s.body_id, \
             s.commentary_id, s.from_key, s.status, t.body FROM node_rows r \
             JOIN node_shapes s ON s.id = r.shape_id JOIN texts t ON t.id = s.body_id \
             WHERE r.document_id = $1 AND s.node_key = $2",
        )
        .bind(id)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?
        else {
            return Ok(None);
        };
        let old: String = row.try_get("body")?;
        let ord: i64 = row.try_get("ord")?;
        let mut shape = Shape::from_row(&row)?;
        let ids = Store::text_ids(tx, &BTreeSet::from([text])).await?;
        shape.body_id = ids[text];
        if shape.from_key.is_some() {
            shape.status = Some(Status::Modified.as_str().to_string());
        }
        let shape_id =
            Store::shape_ids(tx, std::slice::from_ref(&shape)).await?[&shape.signature()];
        sqlx::query("UPDATE node_rows SET shape_id = $1 WHERE document_id = $2 AND ord = $3")
            .bind(shape_id)
            .bind(id)
            .bind(ord)
            .execute(&mut **tx)
            .await?;
        // Servers holding this document's nodes in memory read them again.
        sqlx::query("UPDATE documents SET nodes_revision = nodes_revision + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Store::index_if_due(tx).await?;
        Ok(Some(old))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_tells_a_missing_value_from_an_empty_one() {
        let shape = Shape {
            key: "b2-1".into(),
            key_pinned: false,
            kind: "item".into(),
            label: None,
            label_style: None,
            title_id: None,
            body_id: 7,
            commentary_id: 1,
            from_key: None,
            status: None,
        };
        assert_eq!(
            shape.signature(),
            "b2-1\u{1f}0\u{1f}item\u{1f}\u{18}\u{1f}\u{18}\u{1f}\u{18}\u{1f}7\u{1f}1\u{1f}\u{18}\u{1f}\u{18}"
        );
        let labelled = Shape {
            label: Some(String::new()),
            ..shape.clone()
        };
        assert_ne!(labelled.signature(), shape.signature());
    }

    #[test]
    fn json_arrays_escape_what_json_must() {
        let strings = ["監査".to_string(), "a\"".to_string(), "\\\u{1}".to_string()];
        assert_eq!(json_strings(&strings), r#"["監査","a\"","\\\u0001"]"#);
        assert_eq!(json_strings(&[]), "[]");
    }

    #[test]
    fn bigrams_never_span_two_lines() {
        let grams = text_bigrams("監査\n査定");
        assert!(grams.contains(&('監', '査')));
        assert!(grams.contains(&('査', '定')));
        assert_eq!(grams.len(), 2, "{grams:?}");
        // NFKC and no white space: full-width Ａ is A.
        assert!(text_bigrams("Ａ Ｂ").contains(&('A', 'B')));
    }
}
