//! Storing and loading whole documents, node by node.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use futures_util::TryStreamExt;
use kaitei_model::{
    Amendment, BodyCode, Date, Document, DocumentKind, FlatNodes, Key, Label, LabelContext,
    Metadata, Node, NodeKind, Omission, Status, assemble_tree, registry,
};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::packed::{binary_records, outline_nodes, text_records};
use crate::{Backend, DocumentRef, Store, StoreError};

/// A stored document in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    /// The row id.
    pub id: i64,
    /// Guideline or policy.
    pub kind: DocumentKind,
    /// Its title.
    pub title: String,
    /// Its edition name.
    pub edition: String,
    /// Its publication date.
    pub published: Option<Date>,
    /// For a policy, the body.
    pub body: Option<BodyCode>,
    /// How many nodes it has.
    pub node_count: i64,
}

/// Now, as UTC RFC 3339 text: when a document was imported, for people
/// reading the table (times that are compared are [`crate::accounts::now_stamp`]s).
fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let date = Date::from_unix_days(secs.div_euclid(86_400))
        .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let t = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60)
}

fn join(paragraphs: &[String]) -> String {
    paragraphs.join("\n")
}

/// Paragraphs stored joined by LF, split again (none for an empty text).
pub(crate) fn split(text: &str) -> Vec<String> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split('\n').map(str::to_string).collect()
    }
}

/// A node flattened for its row.
struct NodeRow<'a> {
    ord: i64,
    parent_ord: Option<i64>,
    node: &'a Node,
}

/// A table of nodes: each has the columns of `nodes` under its own owner.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NodeTable {
    /// `nodes`: stored editions and policies.
    Documents,
    /// `draft_nodes`: drafts' working copies.
    Drafts,
    /// `subject_nodes`: what consultations ask about, frozen.
    Subjects,
}

impl NodeTable {
    fn name(self) -> &'static str {
        match self {
            NodeTable::Documents => "nodes",
            NodeTable::Drafts => "draft_nodes",
            NodeTable::Subjects => "subject_nodes",
        }
    }

    fn owner(self) -> &'static str {
        match self {
            NodeTable::Documents => "document_id",
            NodeTable::Drafts => "draft_id",
            NodeTable::Subjects => "subject_id",
        }
    }
}

/// Every node shape of the stored documents, decoded once for a national
/// run ([`Store::outline_shapes`]): each policy's outline places them
/// ([`PolicyOutline::nodes`]) instead of holding copies — a national
/// database has about a million nodes but 38,000 shapes.
#[derive(Debug, Default)]
pub struct OutlineShapes {
    nodes: Vec<Node>,
    /// A shape's row id → its place in `nodes`.
    places: std::collections::HashMap<i64, u32>,
}

/// The most parts [`Store::each_outline`] reads at once, each on its own
/// connection (SQLite's pool holds four).
const READ_PARTS: usize = 4;

/// One policy as a national run reads it ([`Store::each_outline`]): its
/// metadata and its nodes in document order as shapes with the place of
/// their parent.
#[derive(Debug, Clone)]
pub struct PolicyOutline {
    /// The policy's metadata (omissions included).
    pub meta: Metadata,
    nodes: Vec<(u32, Option<usize>)>,
}

impl PolicyOutline {
    /// The policy's nodes, laid out with `shapes` (those it was read with).
    pub fn nodes<'a>(&self, shapes: &'a OutlineShapes) -> Result<FlatNodes<'a>, StoreError> {
        let nodes = self
            .nodes
            .iter()
            .map(|&(shape, parent)| {
                let node = shapes.nodes.get(shape as usize).ok_or_else(|| {
                    StoreError::Corrupt(format!("policy outline: no node shape {shape}"))
                })?;
                Ok((node, parent))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        FlatNodes::new(nodes).map_err(|i| {
            StoreError::Corrupt(format!("policy outline: node {i} precedes its parent"))
        })
    }
}

/// A document's content as one text, for its audit digests: every
/// node's key, label, title, text, commentary and provenance in order,
/// separated by characters no text holds.
pub(crate) fn document_state(doc: &Document) -> String {
    let mut out = String::new();
    for p in &doc.preamble {
        out.push_str(p);
        out.push('\u{1f}');
    }
    for r in flatten(doc) {
        let n = r.node;
        out.push('\u{1e}');
        for field in [
            n.key.as_str(),
            n.label.as_ref().map_or("", |l| l.written()),
            n.title.as_deref().unwrap_or(""),
            n.from.as_ref().map_or("", |k| k.as_str()),
            n.status.map_or("", |s| s.as_str()),
        ] {
            out.push_str(field);
            out.push('\u{1f}');
        }
        for p in n
            .paragraphs
            .iter()
            .chain(std::iter::once(&String::new()))
            .chain(&n.commentary)
        {
            out.push_str(p);
            out.push('\u{1f}');
        }
    }
    out
}

fn flatten(doc: &Document) -> Vec<NodeRow<'_>> {
    fn visit<'a>(nodes: &'a [Node], parent: Option<i64>, out: &mut Vec<NodeRow<'a>>) {
        for node in nodes {
            let ord = out.len() as i64;
            out.push(NodeRow {
                ord,
                parent_ord: parent,
                node,
            });
            visit(&node.children, Some(ord), out);
        }
    }
    let mut out = Vec::new();
    visit(&doc.children, None, &mut out);
    out
}

fn label_from_row(written: &str, style: &str, kind: NodeKind) -> Option<Label> {
    let context = match kind {
        NodeKind::Heading => LabelContext::Heading,
        NodeKind::Paragraph => LabelContext::InArticle,
        NodeKind::Article | NodeKind::Item => LabelContext::Item,
    };
    let label = Label::parse(written, context)?;
    let label = if style == "iroha" {
        label.to_iroha()
    } else {
        label
    };
    (label.style().name() == style).then_some(label)
}

fn node_from_row(row: &AnyRow) -> Result<(Node, Option<usize>), StoreError> {
    let key: String = row.try_get("node_key")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("node {key}: {what}"));
    let kind: String = row.try_get("kind")?;
    let kind = NodeKind::parse(&kind).ok_or_else(|| corrupt("unknown kind"))?;
    let mut node = Node::new(kind, Key::new(&key).ok_or_else(|| corrupt("invalid key"))?);
    node.key_pinned = row.try_get::<i64, _>("key_pinned")? != 0;
    let label: Option<String> = row.try_get("label")?;
    let style: Option<String> = row.try_get("label_style")?;
    if let (Some(written), Some(style)) = (label, style) {
        node.label = Some(
            label_from_row(&written, &style, kind).ok_or_else(|| corrupt("unreadable label"))?,
        );
    }
    node.title = row.try_get("title")?;
    node.paragraphs = split(&row.try_get::<String, _>("body_text")?);
    node.commentary = split(&row.try_get::<String, _>("commentary")?);
    let from: Option<String> = row.try_get("from_key")?;
    node.from = from.as_deref().and_then(Key::new);
    let status: Option<String> = row.try_get("status")?;
    node.status = status.as_deref().and_then(Status::parse);
    let parent: Option<i64> = row.try_get("parent_ord")?;
    Ok((node, parent.map(|p| p as usize)))
}

/// A document's metadata (without omissions) and preamble from its row.
fn meta_from_row(row: &AnyRow, id: i64) -> Result<(Metadata, Vec<String>), StoreError> {
    let kind: String = row.try_get("kind")?;
    let kind = DocumentKind::parse(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("document {id}: unknown kind {kind:?}")))?;
    let title: String = row.try_get("title")?;
    let edition: String = row.try_get("edition")?;
    let mut meta = Metadata::new(kind, &title, &edition);
    let published: Option<String> = row.try_get("published")?;
    meta.published = published.as_deref().and_then(Date::parse_iso);
    let body: Option<String> = row.try_get("body_code")?;
    meta.body = body.as_deref().and_then(|b| BodyCode::parse(b).ok());
    meta.derived_from = row.try_get("derived_from")?;
    meta.number = row.try_get("number")?;
    let amendments: String = row.try_get("amendments")?;
    meta.amendments = amendments_from_column(&amendments)
        .ok_or_else(|| StoreError::Corrupt(format!("document {id}: unreadable amendments")))?;
    meta.contents = row.try_get::<i64, _>("contents")? != 0;
    meta.values = values_from_column(&row.try_get::<String, _>("placeholder_values")?);
    let preamble: String = row.try_get("preamble")?;
    Ok((meta, split(&preamble)))
}

/// The columns [`meta_from_row`] reads.
const META_COLUMNS: &str = "kind, title, edition, published, body_code, derived_from, preamble, number, amendments, contents, placeholder_values";

/// Confirmed placeholder values as stored: one per line, `NAME<TAB>VALUE`
/// (a line break in a value is stored as a space).
pub(crate) fn values_column(values: &BTreeMap<String, String>) -> String {
    values
        .iter()
        .map(|(k, v)| format!("{k}\t{}", v.replace(['\n', '\r'], " ")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn values_from_column(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Amendments as stored: one per line, `YYYY-MM-DD NUMBER`.
fn amendments_column(amendments: &[Amendment]) -> String {
    amendments
        .iter()
        .map(|a| format!("{} {}", a.date, a.number).trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn amendments_from_column(text: &str) -> Option<Vec<Amendment>> {
    split(text)
        .iter()
        .map(|line| {
            let (date, number) = line.split_once(' ').unwrap_or((line, ""));
            Some(Amendment {
                date: Date::parse_iso(date)?,
                number: number.to_string(),
            })
        })
        .collect()
}

/// One node shape of a packed outline (see [`Store::each_outline`]) as
/// its id and a node without children; `labels` caches parsed labels,
/// which repeat from shape to shape.
fn outline_shape(
    rec: &str,
    labels: &mut std::collections::HashMap<(String, String, NodeKind), Label>,
) -> Option<(i64, Node)> {
    let f: Vec<&str> = rec.split('\u{1f}').collect();
    let [id, key, pinned, kind, label, style, title, from, status] = f[..] else {
        return None;
    };
    let kind = NodeKind::parse(kind)?;
    let mut node = Node::new(kind, Key::new(key)?);
    node.key_pinned = pinned == "1";
    if !label.is_empty() {
        let cache_key = (label.to_string(), style.to_string(), kind);
        let parsed = match labels.get(&cache_key) {
            Some(l) => l.clone(),
            None => {
                let l = label_from_row(label, style, kind)?;
                labels.insert(cache_key, l.clone());
                l
            }
        };
        node.label = Some(parsed);
    }
    // An outline needs a title only where it stands in for a label.
    node.title = (!title.is_empty() && node.label.is_none()).then(|| title.to_string());
    node.from = Key::new(from);
    node.status = Status::parse(status);
    Some((id.parse().ok()?, node))
}

fn summary_from_row(row: &AnyRow) -> Result<DocumentSummary, StoreError> {
    let kind: String = row.try_get("kind")?;
    let published: Option<String> = row.try_get("published")?;
    let body: Option<String> = row.try_get("body_code")?;
    Ok(DocumentSummary {
        id: row.try_get("id")?,
        kind: DocumentKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown document kind {kind:?}")))?,
        title: row.try_get("title")?,
        edition: row.try_get("edition")?,
        published: published.as_deref().and_then(Date::parse_iso),
        body: body.as_deref().and_then(|b| BodyCode::parse(b).ok()),
        node_count: row.try_get("node_count")?,
    })
}

/// A body's current policy: whose, its row, its version name, the
/// guideline edition it derives from, whether the body made it public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentPolicy {
    /// The body.
    pub body: BodyCode,
    /// The document's row id.
    pub id: i64,
    /// The name of this version of the policy (令和7年度版).
    pub version: String,
    /// The guideline edition it derives from.
    pub derived_from: Option<String>,
    /// Whether the body has made it public.
    pub public: bool,
}

/// Which of a body's stored policies is its current one. The rule, in one
/// place: the latest by the policy's own date (`published` in its
/// metadata), then by import order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyScope {
    /// Of all its revisions, public or not: what the body's officers and
    /// the ministry work on.
    Latest,
    /// Of the revisions the body made public: what other bodies,
    /// prefectures and published lists see.
    LatestPublic,
}

impl PolicyScope {
    fn condition(self) -> &'static str {
        match self {
            PolicyScope::Latest => "",
            PolicyScope::LatestPublic => " AND made_public = 1",
        }
    }
}

/// The order that makes the last row of a body the current one …
const CURRENT_ORDER: &str = "COALESCE(published, ''), id";
/// … and the same order reversed, current first.
pub(crate) const CURRENT_FIRST: &str = "COALESCE(published, '') DESC, id DESC";

const SUMMARY_COLUMNS: &str = "d.id, d.kind, d.title, d.edition, d.published, d.body_code, \
     (SELECT COUNT(*) FROM node_rows n WHERE n.document_id = d.id) AS node_count";

impl Store {
    /// Stores a document in one transaction and returns its id. Refuses a
    /// guideline edition whose name is taken, and a second policy of the
    /// same body and edition.
    pub async fn import(&self, doc: &Document) -> Result<i64, StoreError> {
        match self.retrying(|| self.import_once(doc)).await {
            // The same document imported at the same moment elsewhere: on
            // PostgreSQL this insert waited for that one and then broke
            // the unique index. Looked at again, it is a duplicate, and
            // the check says so in words.
            Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                self.retrying(|| self.import_once(doc)).await
            }
            other => other,
        }
    }

    /// One attempt at [`Store::import`].
    async fn import_once(&self, doc: &Document) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let id = self.import_in(&mut tx, doc).await?;
        self.commit(tx).await?;
        Ok(id)
    }

    /// Stores several documents in one transaction — all or none — and
    /// makes public the policies marked so: a national load, where a
    /// transaction per document would cost a commit each. The refusals are
    /// [`Store::import`]'s; each document's import (and each making
    /// public) is its own event in the audit trail.
    pub async fn import_many(&self, docs: &[(Document, bool)]) -> Result<Vec<i64>, StoreError> {
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let mut ids = Vec::with_capacity(docs.len());
            for (doc, public) in docs {
                let id = self.import_in(&mut tx, doc).await?;
                if *public && doc.meta.kind == DocumentKind::Policy {
                    sqlx::query("UPDATE documents SET made_public = 1 WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    let change = Store::document_change(&mut tx, id, "policy.made_public").await?;
                    self.audit(&mut tx, change).await?;
                }
                ids.push(id);
            }
            self.commit(tx).await?;
            Ok(ids)
        })
        .await
    }

    /// Stores `doc` inside transaction `tx`, refusing a duplicate.
    async fn import_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        doc: &Document,
    ) -> Result<i64, StoreError> {
        let meta = &doc.meta;
        let body = match (meta.kind, meta.body) {
            (DocumentKind::Policy, None) => {
                return Err(StoreError::Invalid(
                    "a policy needs its body: give `body:` in the front matter or --body CODE"
                        .into(),
                ));
            }
            (DocumentKind::Policy, Some(b)) => Some(b.to_string()),
            (DocumentKind::Guideline, _) => None,
        };
        let existing: Option<(i64,)> = match &body {
            None => {
                sqlx::query_as("SELECT id FROM documents WHERE kind = 'guideline' AND edition = $1")
                    .bind(&meta.edition)
                    .fetch_optional(&mut **tx)
                    .await?
            }
            Some(b) => {
                sqlx::query_as(
                    "SELECT id FROM documents WHERE kind = 'policy' AND body_code = $1 AND edition = $2",
                )
                .bind(b)
                .bind(&meta.edition)
                .fetch_optional(&mut **tx)
                .await?
            }
        };
        if existing.is_some() {
            return Err(StoreError::Duplicate(match meta.body {
                None => format!(
                    "guideline edition {:?} is already stored; a new edition needs its own `edition:` name",
                    meta.edition
                ),
                Some(code) => {
                    let name = registry().get(code).map_or("", |b| b.name.as_str());
                    format!(
                        "body {code} ({name}) already has a stored policy for edition {:?}; a revised policy needs its own `edition:` name",
                        meta.edition
                    )
                }
            }));
        }
        let id = Store::insert_document(tx, doc, body, None).await?;
        Store::write_content(tx, id, doc).await?;
        let change = Store::document_change(tx, id, "document.import")
            .await?
            .after(document_state(doc));
        self.audit(tx, change).await?;
        Ok(id)
    }

    /// Inserts `doc`'s row (its metadata, not its nodes) inside a
    /// transaction: a policy of `body`, made from revision `revises` when
    /// a merge review was adopted. Returns its id.
    pub(crate) async fn insert_document(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        doc: &Document,
        body: Option<String>,
        revises: Option<i64>,
    ) -> Result<i64, StoreError> {
        let meta = &doc.meta;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO documents (kind, title, edition, published, body_code, derived_from, preamble, imported_at, \
             number, amendments, contents, placeholder_values, revises) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(meta.kind.as_str())
        .bind(&meta.title)
        .bind(&meta.edition)
        .bind(meta.published.map(|d| d.to_string()))
        .bind(body)
        .bind(meta.derived_from.clone())
        .bind(join(&doc.preamble))
        .bind(now_rfc3339())
        .bind(meta.number.clone())
        .bind(amendments_column(&meta.amendments))
        .bind(i64::from(meta.contents))
        .bind(values_column(&meta.values))
        .bind(revises)
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    /// Writes a document's omissions and nodes under `id` (inside a
    /// transaction; the rows must not exist yet).
    pub(crate) async fn write_content(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: i64,
        doc: &Document,
    ) -> Result<(), StoreError> {
        for (i, o) in doc.meta.omitted.iter().enumerate() {
            sqlx::query("INSERT INTO omissions (document_id, ord, from_key, reason) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(i as i64)
                .bind(o.from.as_str())
                .bind(&o.reason)
                .execute(&mut **tx)
                .await?;
        }
        Store::write_nodes(tx, NodeTable::Documents, id, doc).await
    }

    /// Writes `doc`'s nodes into `table` under owner `id` (inside a
    /// transaction; the rows must not exist yet).
    pub(crate) async fn write_nodes(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        table: NodeTable,
        id: i64,
        doc: &Document,
    ) -> Result<(), StoreError> {
        let rows = flatten(doc);
        if let NodeTable::Documents = table {
            let placed: Vec<(i64, Option<i64>, &Node)> =
                rows.iter().map(|r| (r.ord, r.parent_ord, r.node)).collect();
            return Store::write_document_nodes(tx, id, &placed).await;
        }
        let head = format!(
            "INSERT INTO {} ({}, ord, parent_ord, node_key, key_pinned, kind, label, label_style, \
             title, body_text, commentary, from_key, status)",
            table.name(),
            table.owner()
        );
        // 13 columns × 100 rows stays far below every backend's limit on
        // bound parameters.
        for chunk in rows.chunks(100) {
            let sql = crate::sql::insert_values(tx, &head, 13, chunk.len(), "");
            let mut q = sqlx::query(&sql);
            for r in chunk {
                let n = r.node;
                q = q
                    .bind(id)
                    .bind(r.ord)
                    .bind(r.parent_ord)
                    .bind(n.key.as_str().to_string())
                    .bind(i64::from(n.key_pinned))
                    .bind(n.kind.as_str())
                    .bind(n.label.as_ref().map(|l| l.written().to_string()))
                    .bind(n.label.as_ref().map(|l| l.style().name()))
                    .bind(n.title.clone())
                    .bind(join(&n.paragraphs))
                    .bind(join(&n.commentary))
                    .bind(n.from.as_ref().map(|k| k.as_str().to_string()))
                    .bind(n.status.map(Status::as_str));
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// The query of [`Store::read_nodes`].
    fn select_nodes(table: NodeTable, backend: Backend) -> String {
        match (table, backend) {
            // A stored document's nodes are rows pointing at shapes that
            // point at texts (the `nodes` view joins them). PostgreSQL,
            // over the view, hashes every shape of every stored document —
            // 38,000 for the nation — to read one edition's few hundred
            // (110 ms against 4, on the national bench): here each row's
            // shape is looked up by its key, which the lateral subquery
            // (`OFFSET 0` keeps it one) makes it do. SQLite looks each
            // shape up by its key either way.
            (NodeTable::Documents, Backend::Postgres) => "SELECT r.ord, r.parent_ord, s.node_key, \
                 s.key_pinned, s.kind, s.label, s.label_style, tt.body AS title, bt.body AS body_text, \
                 ct.body AS commentary, s.from_key, s.status FROM node_rows r \
                 CROSS JOIN LATERAL (SELECT * FROM node_shapes x WHERE x.id = r.shape_id OFFSET 0) s \
                 LEFT JOIN texts tt ON tt.id = s.title_id \
                 LEFT JOIN texts bt ON bt.id = s.body_id \
                 LEFT JOIN texts ct ON ct.id = s.commentary_id \
                 WHERE r.document_id = $1 ORDER BY r.ord"
                .to_string(),
            _ => format!(
                "SELECT ord, parent_ord, node_key, key_pinned, kind, label, label_style, title, body_text, \
                 commentary, from_key, status FROM {} WHERE {} = $1 ORDER BY ord",
                table.name(),
                table.owner()
            ),
        }
    }

    /// Reads the nodes `table` holds under owner `id`, as a tree.
    pub(crate) async fn read_nodes<'e, E>(
        executor: E,
        backend: Backend,
        table: NodeTable,
        id: i64,
    ) -> Result<Vec<Node>, StoreError>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let rows = sqlx::query(&Store::select_nodes(table, backend))
            .bind(id)
            .fetch_all(executor)
            .await?;
        let flat = rows
            .iter()
            .map(node_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        assemble_tree(flat).map_err(|i| {
            StoreError::Corrupt(format!(
                "{} {id}: node {i} precedes its parent",
                table.name()
            ))
        })
    }

    /// The placeholder values the body confirmed for policy `id` (empty when
    /// none, or no such policy).
    pub async fn confirmed_values(&self, id: i64) -> Result<BTreeMap<String, String>, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT placeholder_values FROM documents WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(c,)| values_from_column(&c)).unwrap_or_default())
    }

    /// Records a placeholder value the body confirmed for policy `id`
    /// (`CISO職名` → `副市長`), replacing any value it had; kept in the
    /// policy's metadata, so a merge fills it instead of inferring it.
    pub async fn confirm_value(&self, id: i64, name: &str, value: &str) -> Result<(), StoreError> {
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            // Locked: two values confirmed at once must both be kept.
            self.lock_document(&mut tx, id).await?;
            let row: Option<(String,)> = sqlx::query_as(
                "SELECT placeholder_values FROM documents WHERE id = $1 AND kind = 'policy'",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((column,)) = row else {
                return Err(StoreError::Invalid(format!("no policy {id}")));
            };
            let mut values = values_from_column(&column);
            let before = values.get(name).cloned().unwrap_or_default();
            values.insert(name.to_string(), value.to_string());
            let change = Store::document_change(&mut tx, id, "policy.confirm_value")
                .await?
                .before(format!("{name}={before}"))
                .after(format!("{name}={value}"));
            self.audit(&mut tx, change).await?;
            sqlx::query("UPDATE documents SET placeholder_values = $1 WHERE id = $2")
                .bind(values_column(&values))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// Finds the id of a stored document.
    pub async fn find(&self, r: &DocumentRef) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = match r {
            DocumentRef::Edition(e) => {
                sqlx::query_as("SELECT id FROM documents WHERE kind = 'guideline' AND edition = $1")
                    .bind(e.as_str())
                    .fetch_optional(&self.pool)
                    .await?
            }
            DocumentRef::Policy {
                body,
                version: Some(v),
            } => {
                sqlx::query_as(
                    "SELECT id FROM documents WHERE kind = 'policy' AND body_code = $1 AND edition = $2",
                )
                .bind(body.to_string())
                .bind(v.as_str())
                .fetch_optional(&self.pool)
                .await?
            }
            DocumentRef::Policy {
                body,
                version: None,
            } => return self.current_policy(*body, PolicyScope::Latest).await,
        };
        Ok(row.map(|(id,)| id))
    }

    /// The id of `body`'s current policy in `scope` (see [`PolicyScope`]).
    pub async fn current_policy(
        &self,
        body: BodyCode,
        scope: PolicyScope,
    ) -> Result<Option<i64>, StoreError> {
        let sql = format!(
            "SELECT id FROM documents WHERE kind = 'policy' AND body_code = $1{} \
             ORDER BY {CURRENT_FIRST} LIMIT 1",
            scope.condition()
        );
        let row: Option<(i64,)> = sqlx::query_as(&sql)
            .bind(body.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(id,)| id))
    }

    /// Loads a stored document whole.
    pub async fn load(&self, id: i64) -> Result<Option<Document>, StoreError> {
        let Some(row) = sqlx::query(&format!(
            "SELECT {META_COLUMNS} FROM documents WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let (mut meta, preamble) = meta_from_row(&row, id)?;
        let omissions = sqlx::query(
            "SELECT from_key, reason FROM omissions WHERE document_id = $1 ORDER BY ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for o in omissions {
            let from: String = o.try_get("from_key")?;
            meta.omitted.push(Omission {
                from: Key::new(&from)
                    .ok_or_else(|| StoreError::Corrupt(format!("omission key {from:?}")))?,
                reason: o.try_get("reason")?,
            });
        }
        let children =
            Store::read_nodes(&self.pool, self.backend, NodeTable::Documents, id).await?;
        Ok(Some(Document {
            meta,
            preamble,
            children,
        }))
    }

    /// Every node shape, decoded once: its key, label and provenance (and
    /// its title where it has no label), but not its text or commentary —
    /// except for the shapes derived from guideline clauses `with_words`,
    /// which carry their title and text: a national run reads placeholder
    /// values off those. Two queries, each one row.
    pub async fn outline_shapes(&self, with_words: &[String]) -> Result<OutlineShapes, StoreError> {
        // Packed into one string (a row each costs the SQLite driver a
        // round trip between threads). Separators are bound (SQLite spells
        // `chr` as `char`), the aggregate is named per backend
        // (PostgreSQL's `string_agg`). No stored text holds a separator
        // (`texts::holds_separator`): nothing is escaped.
        let shapes_sql = format!(
            "SELECT {}(CAST(s.id AS TEXT) || $1 || s.node_key || $1 || CAST(s.key_pinned AS TEXT) || $1 \
               || s.kind || $1 || COALESCE(s.label, '') || $1 || COALESCE(s.label_style, '') || $1 \
               || COALESCE(t.body, '') || $1 || COALESCE(s.from_key, '') || $1 || COALESCE(s.status, ''), $2) \
             FROM node_shapes s LEFT JOIN texts t ON t.id = s.title_id",
            self.aggregate()
        );
        // The words: title (`1` before it when there is one) and text —
        // the texts of every body's clauses from those guideline clauses,
        // megabytes: in two queries or more, so that two cores read them.
        let chunks: Vec<&[String]> = with_words
            .chunks(with_words.len().div_ceil(2).clamp(1, 500))
            .collect();
        let words_sql: Vec<String> = chunks
            .iter()
            .map(|keys| {
                crate::sql::in_list(
                    &format!(
                        "SELECT {}(CAST(s.id AS TEXT) || $1 \
                           || COALESCE('1' || tt.body, '0') || $1 || bt.body, $2) \
                         FROM node_shapes s LEFT JOIN texts tt ON tt.id = s.title_id \
                         JOIN texts bt ON bt.id = s.body_id WHERE s.from_key IN",
                        self.aggregate()
                    ),
                    3,
                    keys.len(),
                )
            })
            .collect();
        // Both at once, each on a connection of its own (on PostgreSQL, on
        // a core of its own).
        let shapes_query = sqlx::query_as::<_, (Option<String>,)>(&shapes_sql)
            .bind("\u{1f}")
            .bind("\u{1e}")
            .fetch_one(&self.pool);
        let words_queries =
            futures_util::future::try_join_all(words_sql.iter().zip(&chunks).map(|(sql, keys)| {
                let mut q = sqlx::query_as::<_, (Option<String>,)>(sql)
                    .bind("\u{1f}")
                    .bind("\u{1e}");
                for k in *keys {
                    q = q.bind(k.as_str());
                }
                q.fetch_one(&self.pool)
            }));
        let (packed, words) = futures_util::future::try_join(shapes_query, words_queries).await?;
        let mut labels = std::collections::HashMap::new();
        let mut shapes = OutlineShapes::default();
        for rec in packed
            .0
            .as_deref()
            .unwrap_or("")
            .split('\u{1e}')
            .filter(|r| !r.is_empty())
        {
            let (id, node) = outline_shape(rec, &mut labels)
                .ok_or_else(|| StoreError::Corrupt(format!("unreadable node shape {rec:?}")))?;
            shapes.places.insert(id, shapes.nodes.len() as u32);
            shapes.nodes.push(node);
        }
        for packed in words {
            for rec in packed
                .0
                .as_deref()
                .unwrap_or("")
                .split('\u{1e}')
                .filter(|r| !r.is_empty())
            {
                let words = (|| {
                    let (id, rest) = rec.split_once('\u{1f}')?;
                    let (title, text) = rest.split_once('\u{1f}')?;
                    let place = *shapes.places.get(&id.parse().ok()?)?;
                    let title = match title.split_at_checked(1)? {
                        ("1", t) => Some(t.to_string()),
                        ("0", "") => None,
                        _ => return None,
                    };
                    Some((place, title, text))
                })();
                let (place, title, text) = words
                    .ok_or_else(|| StoreError::Corrupt(format!("unreadable node words {rec:?}")))?;
                let node = &mut shapes.nodes[place as usize];
                node.title = title.or(node.title.take());
                node.paragraphs = text.split('\n').map(str::to_string).collect();
            }
        }
        Ok(shapes)
    }

    /// Calls `f(index in ids, outline)` for each policy of `ids` as it is
    /// read, its nodes placing `shapes` (see [`Store::outline_shapes`]).
    /// Three queries in all, not three per policy, and one policy's packed
    /// nodes in memory at a time: for national runs over every body.
    pub async fn each_outline(
        &self,
        ids: &[i64],
        shapes: &OutlineShapes,
        mut f: impl FnMut(usize, PolicyOutline),
    ) -> Result<(), StoreError> {
        let wanted: std::collections::HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut metas: Vec<Option<Metadata>> = vec![None; ids.len()];
        let rows = sqlx::query(&format!(
            "SELECT id, {META_COLUMNS} FROM documents WHERE kind = 'policy'"
        ))
        .fetch_all(&self.pool)
        .await?;
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let Some(&slot) = wanted.get(&id) else {
                continue;
            };
            metas[slot] = Some(meta_from_row(&row, id)?.0);
        }
        let omissions = sqlx::query(
            "SELECT o.document_id, o.from_key, o.reason FROM omissions o JOIN documents d ON d.id = o.document_id \
             WHERE d.kind = 'policy' ORDER BY o.document_id, o.ord",
        )
        .fetch_all(&self.pool)
        .await?;
        for o in omissions {
            let id: i64 = o.try_get("document_id")?;
            let (Some(&slot), Some(key)) = (
                wanted.get(&id),
                Key::new(&o.try_get::<String, _>("from_key")?),
            ) else {
                continue;
            };
            if let Some(meta) = metas[slot].as_mut() {
                meta.omitted.push(Omission {
                    from: key,
                    reason: o.try_get("reason")?,
                });
            }
        }
        // One row per policy, its nodes packed as `ord,shape,parent`: a
        // national run covers about a million nodes, and a row each costs
        // the SQLite driver a round trip between threads. Read in parts by
        // id, each on its own connection (on SQLite, its own thread), so
        // that packing takes every core. The rows come to the aggregate in
        // the key's order, which both databases keep in practice; an
        // `ORDER BY` inside the aggregate would sort every policy again
        // (PostgreSQL: 330 ms a half of the nation, against 185). SQL does
        // not promise that order, so each node carries its place, and a
        // policy that came out of order is put in order here.
        //
        // PostgreSQL packs them as binary (see `packed::binary_records`):
        // turning three numbers a node into text and joining them cost it a
        // third more than two `int8send`s.
        let records = match self.backend {
            Backend::Sqlite => {
                "group_concat(CAST(ord AS TEXT) || ',' || CAST(shape_id AS TEXT) || ',' \
                 || COALESCE(CAST(parent_ord AS TEXT), ''), ';')"
            }
            Backend::Postgres => {
                "string_agg(int8send(ord * 4294967296 + shape_id) \
                 || int8send(COALESCE(parent_ord, -1)), ''::bytea)"
            }
        };
        let sql = format!(
            "SELECT document_id, {records} AS recs \
             FROM (SELECT document_id, ord, shape_id, parent_ord FROM node_rows \
               WHERE document_id IN (SELECT id FROM documents WHERE kind = 'policy') \
               AND document_id >= $1 AND document_id <= $2 ORDER BY document_id, ord) AS r \
             GROUP BY document_id"
        );
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        let parts = std::thread::available_parallelism().map_or(1, |n| n.get().min(READ_PARTS));
        let part = sorted.len().div_ceil(parts).max(1);
        let mut rows = futures_util::stream::select_all(sorted.chunks(part).map(|c| {
            sqlx::query(&sql)
                .bind(c[0])
                .bind(c[c.len() - 1])
                .fetch(&self.pool)
        }));
        // Streamed: one policy's packed nodes in memory at a time.
        while let Some(row) = rows.try_next().await? {
            let id: i64 = row.try_get("document_id")?;
            let Some(&slot) = wanted.get(&id) else {
                continue;
            };
            let nodes = match self.backend {
                Backend::Sqlite => {
                    let recs: String = row.try_get("recs")?;
                    outline_nodes(text_records(&recs), &shapes.places)
                }
                Backend::Postgres => {
                    let recs: Vec<u8> = row.try_get("recs")?;
                    outline_nodes(binary_records(&recs), &shapes.places)
                }
            }
            .map_err(|rec| StoreError::Corrupt(format!("document {id}: unreadable node {rec}")))?;
            let meta = metas[slot]
                .take()
                .ok_or_else(|| StoreError::Corrupt(format!("no policy with id {id}")))?;
            f(slot, PolicyOutline { meta, nodes });
        }
        // A policy without nodes has no row above.
        for (slot, meta) in metas.into_iter().enumerate() {
            if let Some(meta) = meta {
                f(
                    slot,
                    PolicyOutline {
                        meta,
                        nodes: Vec::new(),
                    },
                );
            }
        }
        Ok(())
    }

    /// The name of the aggregate that joins strings (PostgreSQL's
    /// `string_agg`, SQLite's `group_concat`).
    fn aggregate(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "group_concat",
            Backend::Postgres => "string_agg",
        }
    }

    /// Finds and loads a document.
    pub async fn get(&self, r: &DocumentRef) -> Result<Option<Document>, StoreError> {
        match self.find(r).await? {
            Some(id) => self.load(id).await,
            None => Ok(None),
        }
    }

    /// The guideline edition a new one follows: the latest published on or
    /// before `published` (any, when the new one has no date), other than
    /// `edition` itself.
    pub async fn previous_edition(
        &self,
        edition: &str,
        published: Option<Date>,
    ) -> Result<Option<i64>, StoreError> {
        let cutoff = published.map_or_else(|| "9999-12-31".to_string(), |d| d.to_string());
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM documents WHERE kind = 'guideline' AND edition <> $1 \
             AND COALESCE(published, '') <= $2 ORDER BY COALESCE(published, '') DESC, id DESC LIMIT 1",
        )
        .bind(edition)
        .bind(cutoff)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id,)| id))
    }

    /// Each body's current policy in `scope` (see [`PolicyScope`]), by body code.
    pub async fn current_policies(
        &self,
        scope: PolicyScope,
    ) -> Result<Vec<CurrentPolicy>, StoreError> {
        let sql = format!(
            "SELECT id, body_code, edition, derived_from, made_public FROM documents WHERE kind = 'policy'{} \
             ORDER BY body_code, {CURRENT_ORDER}",
            scope.condition()
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut out: Vec<CurrentPolicy> = Vec::new();
        for r in rows {
            let body: String = r.try_get("body_code")?;
            let Ok(body) = BodyCode::parse(&body) else {
                continue;
            };
            let public: i64 = r.try_get("made_public")?;
            let entry = CurrentPolicy {
                body,
                id: r.try_get("id")?,
                version: r.try_get("edition")?,
                derived_from: r.try_get("derived_from")?,
                public: public != 0,
            };
            match out.last_mut() {
                // Later rows of the same body are more current.
                Some(last) if last.body == body => *last = entry,
                _ => out.push(entry),
            }
        }
        Ok(out)
    }

    /// A stored policy's body and the guideline edition it derives from,
    /// without reading its text (`None`: no policy has that id).
    pub async fn policy_origin(
        &self,
        id: i64,
    ) -> Result<Option<(BodyCode, Option<String>)>, StoreError> {
        let row = sqlx::query(
            "SELECT body_code, derived_from FROM documents WHERE id = $1 AND kind = 'policy'",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let code: String = row.try_get("body_code")?;
        let body = BodyCode::parse(&code)
            .map_err(|_| StoreError::Corrupt(format!("document {id}: body code {code:?}")))?;
        Ok(Some((body, row.try_get("derived_from")?)))
    }

    /// The stored guideline editions, oldest first (by date, then import).
    pub async fn editions(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM documents d WHERE d.kind = 'guideline' \
             ORDER BY COALESCE(d.published, ''), d.id"
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// Every stored document, guideline editions first, then policies by body.
    pub async fn list(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM documents d ORDER BY d.kind, COALESCE(d.body_code, ''), d.id"
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(summary_from_row).collect()
    }
}
