//! Japanese substring search over stored documents: walked in memory
//! (see the corpus module), through the bigram index for texts beyond
//! the corpus's budget.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use kaitei_model::{BodyCode, DocumentKind, clause_name};
use sqlx::Row;

use crate::corpus::{Check, NO_TEXT, Skeleton, TEXT_BUDGET, searched_form};
use crate::{Backend, Store, StoreError};

/// The distinct character bigrams of `text` after NFKC, white space removed.
pub fn bigrams(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = searched_form(text).chars().collect();
    chars.windows(2).map(|w| w.iter().collect()).collect()
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

/// Documents read and walked at a time, in order.
const WALK_BATCH: usize = 64;

/// The hits of a search before their paths are read
/// ([`Store::search_found`]).
#[derive(Default)]
pub struct Found {
    documents: Vec<Candidate>,
    rank: HashMap<i64, usize>,
    /// Each hit's node and the line that matched, in order.
    places: Vec<(Place, String)>,
    /// The documents of the hits, as walked.
    skeletons: HashMap<i64, Arc<Skeleton>>,
    more: bool,
}

impl Found {
    /// How many hits (at most the limit searched with).
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Whether there were more than the limit.
    pub fn more(&self) -> bool {
        self.more
    }

    /// Each hit's document id, in order.
    pub fn document_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.places.iter().map(|((doc, _), _)| *doc)
    }
}

/// A stored document a search may look in.
pub(crate) struct Candidate {
    pub(crate) id: i64,
    pub(crate) kind: DocumentKind,
    pub(crate) edition: String,
    pub(crate) published: Option<String>,
    pub(crate) body: Option<BodyCode>,
    pub(crate) public: bool,
    /// Its nodes' revision (see the corpus module).
    pub(crate) revision: i64,
}

/// A document of [`Store::document_list`]'s packed row: `Some(None)` for
/// a kind a search does not know, `None` when the record is not as packed.
pub(crate) fn unpack_document(record: &str) -> Option<Option<Candidate>> {
    let f: Vec<&str> = record.split('\u{1f}').collect();
    let [id, kind, edition, published, body, public, revision] = f[..] else {
        return None;
    };
    // A missing value is empty, a present one follows '='.
    let optional = |v: &str| match v {
        "" => Some(None),
        v => v.strip_prefix('=').map(|v| Some(v.to_string())),
    };
    let Some(kind) = DocumentKind::parse(kind) else {
        return Some(None);
    };
    let body = optional(body)?;
    Some(Some(Candidate {
        id: id.parse().ok()?,
        kind,
        edition: edition.to_string(),
        published: optional(published)?,
        body: body.as_deref().and_then(|b| BodyCode::parse(b).ok()),
        public: public != "0",
        revision: revision.parse().ok()?,
    }))
}

/// A node's place: `(document id, ord)`.
type Place = (i64, i64);

/// What a hit's path needs of a shape.
struct ShapeText {
    key: String,
    label: Option<String>,
    title: Option<String>,
    body: String,
}

impl ShapeText {
    /// A path's step: the label as written, or the title.
    fn segment(&self) -> String {
        self.label
            .clone()
            .or_else(|| self.title.clone())
            .unwrap_or_default()
    }

    /// What it is called ([`clause_name`]).
    fn name(&self) -> Option<String> {
        let paragraphs: Vec<&str> = self.body.split('\n').collect();
        clause_name(self.title.as_deref(), &paragraphs).map(str::to_string)
    }
}

/// The first line of `text` that holds `needle` (both compared after
/// NFKC, without white space).
fn line_holding(text: &str, needle: &str) -> Option<String> {
    text.split('\n')
        .find(|line| searched_form(line).contains(needle))
        .map(str::to_string)
}

/// SQL for the texts holding each of `grams` bigrams (bound as `$1`…) on
/// the index: a row per bigram and text on SQLite, an array per text on
/// PostgreSQL.
fn indexed_texts_sql(backend: Backend, grams: usize) -> String {
    let list: Vec<String> = (1..=grams).map(|i| format!("${i}")).collect();
    match backend {
        Backend::Sqlite => format!(
            "SELECT text_id FROM text_bigrams WHERE bigram IN ({}) GROUP BY text_id HAVING COUNT(*) = {grams}",
            list.join(", "),
        ),
        Backend::Postgres => format!(
            "SELECT text_id FROM text_grams WHERE grams @> CAST(ARRAY[{}] AS TEXT[])",
            list.join(", ")
        ),
    }
}

impl Store {
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
    ///
    /// The visible documents are walked in that order until the hits are
    /// enough, in memory (see the corpus module): each distinct shape met
    /// is judged once, by its texts, each distinct text checked once.
    pub async fn search_up_to(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        limit: usize,
    ) -> Result<(Vec<Hit>, bool), StoreError> {
        self.search_with(query, visible, limit, TEXT_BUDGET).await
    }

    /// [`Store::search_up_to`] with `budget` bytes of text kept in memory
    /// (tests take none, so that every text is found through the index).
    pub(crate) async fn search_with(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        limit: usize,
        budget: usize,
    ) -> Result<(Vec<Hit>, bool), StoreError> {
        let found = self.find_with(query, visible, limit, budget).await?;
        let hits = self.search_hits(&found, 0..found.len()).await?;
        Ok((hits, found.more))
    }

    /// The first `limit` hits of [`Store::search_up_to`] and whether there
    /// were more, without their paths: a page of them is then read whole
    /// with [`Store::search_hits`] (a search counts up to thousands of
    /// hits and shows fifty).
    pub async fn search_found(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        limit: usize,
    ) -> Result<Found, StoreError> {
        self.find_with(query, visible, limit, TEXT_BUDGET).await
    }

    /// The hits `range` of `found`, whole: each with its document, key,
    /// label, path and the line that matched.
    pub async fn search_hits(
        &self,
        found: &Found,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<Hit>, StoreError> {
        let end = range.end.min(found.places.len());
        let start = range.start.min(end);
        self.hits_of(found, start..end).await
    }

    async fn find_with(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        limit: usize,
        budget: usize,
    ) -> Result<Found, StoreError> {
        let needle = searched_form(query);
        if needle.chars().nth(1).is_none() {
            return Err(StoreError::Invalid(
                "search for at least two characters".into(),
            ));
        }
        let documents = self.searchable_documents(&visible).await?;
        let rank: HashMap<i64, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id, i))
            .collect();
        let mut search = Search {
            needle: &needle,
            budget,
            shapes: Vec::new(),
            hit_texts: Default::default(),
            texts: Vec::new(),
            lines: Default::default(),
            index: None,
            found: Vec::new(),
            skeletons: HashMap::new(),
            want: limit + 1,
        };
        for batch in documents.chunks(WALK_BATCH) {
            let skeletons = self.skeletons(batch).await?;
            search.judge(self, &skeletons).await?;
            if search.walk(batch, &skeletons) {
                break;
            }
        }
        let mut places = search.found;
        let more = places.len() > limit;
        places.truncate(limit);
        Ok(Found {
            documents,
            rank,
            places,
            skeletons: search.skeletons,
            more,
        })
    }

    /// Reads into memory what a search walks — every document's nodes,
    /// their shapes and texts (within the budget) — so that the first
    /// search does not: a server does this as it starts (about a second
    /// for a national database). Searches may run meanwhile.
    pub async fn prepare_search(&self) -> Result<(), StoreError> {
        let documents = self.searchable_documents(&|_, _, _| true).await?;
        for batch in documents.chunks(WALK_BATCH) {
            let skeletons = self.skeletons(batch).await?;
            let mut slots: Vec<u32> = skeletons
                .iter()
                .flat_map(|s| s.shapes.iter().copied())
                .collect();
            slots.sort_unstable();
            slots.dedup();
            let mut texts: Vec<u32> = self
                .corpus
                .shape_texts(&slots)
                .into_iter()
                .flatten()
                .filter(|t| *t != NO_TEXT)
                .collect();
            texts.sort_unstable();
            texts.dedup();
            let missing = self.corpus.texts_to_read(&texts, TEXT_BUDGET);
            if !missing.is_empty() {
                self.corpus
                    .keep_texts(self.read_texts(&missing).await?, TEXT_BUDGET);
            }
        }
        Ok(())
    }

    /// The nodes of `batch` (documents in order), read into the corpus
    /// where it does not hold them at their revision.
    async fn skeletons(&self, batch: &[Candidate]) -> Result<Vec<Arc<Skeleton>>, StoreError> {
        let stale = self.corpus.stale(batch.iter().map(|d| (d.id, d.revision)));
        if !stale.is_empty() {
            let sql = crate::sql::in_list(
                "SELECT document_id, ord, parent_ord, shape_id FROM node_rows WHERE document_id IN",
                1,
                stale.len(),
            );
            let mut q = sqlx::query_as::<_, (i64, i64, Option<i64>, i64)>(&sql);
            for id in &stale {
                q = q.bind(*id);
            }
            let rows = q.fetch_all(&self.pool).await?;
            self.read_shapes(rows.iter().map(|r| r.3)).await?;
            let mut by_document: HashMap<i64, Vec<(i64, Option<i64>, i64)>> = HashMap::new();
            for (document, ord, parent, shape) in rows {
                by_document
                    .entry(document)
                    .or_default()
                    .push((ord, parent, shape));
            }
            let revision: HashMap<i64, i64> = batch.iter().map(|d| (d.id, d.revision)).collect();
            for id in stale {
                let rows = by_document.remove(&id).unwrap_or_default();
                // A revision read before the nodes: were they changed in
                // between, the next search reads them again.
                if !self.corpus.keep_document(id, revision[&id], &rows) {
                    return Err(StoreError::Corrupt(format!(
                        "document {id}: a node's shape is missing, or its place out of range"
                    )));
                }
            }
        }
        let held = self.corpus.skeletons(batch.iter().map(|d| d.id));
        held.into_iter()
            .zip(batch)
            .map(|(s, d)| {
                s.ok_or_else(|| StoreError::Corrupt(format!("document {} not read", d.id)))
            })
            .collect()
    }

    /// Reads into the corpus the shapes of `ids` it does not hold.
    async fn read_shapes(&self, ids: impl IntoIterator<Item = i64>) -> Result<(), StoreError> {
        let unknown = self.corpus.unknown_shapes(ids);
        for chunk in unknown.chunks(500) {
            let sql = crate::sql::in_list(
                "SELECT id, title_id, body_id, commentary_id FROM node_shapes WHERE id IN",
                1,
                chunk.len(),
            );
            let mut q = sqlx::query_as::<_, (i64, Option<i64>, i64, Option<i64>)>(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            let rows = q.fetch_all(&self.pool).await?;
            self.corpus.keep_shapes(
                rows.into_iter()
                    .map(|(id, title, body, commentary)| (id, [title, Some(body), commentary])),
            );
        }
        Ok(())
    }

    /// The texts `ids` from the database: each as written.
    async fn read_texts(&self, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = crate::sql::in_list("SELECT id, body FROM texts WHERE id IN", 1, chunk.len());
            let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            out.extend(q.fetch_all(&self.pool).await?);
        }
        Ok(out)
    }

    /// The texts the bigram index says may hold `needle`, with those not
    /// indexed yet that do: how texts the corpus has no room for are
    /// found.
    async fn indexed_candidates(&self, needle: &str) -> Result<HashSet<i64>, StoreError> {
        let grams = bigrams(needle);
        let sql = indexed_texts_sql(self.backend, grams.len());
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for g in &grams {
            q = q.bind(g.as_str());
        }
        let mut candidates: HashSet<i64> = q
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect();
        for (id, body) in
            sqlx::query_as::<_, (i64, String)>("SELECT id, body FROM texts WHERE indexed = 0")
                .fetch_all(&self.pool)
                .await?
        {
            if searched_form(&body).contains(needle) {
                candidates.insert(id);
            }
        }
        Ok(candidates)
    }

    /// The documents `visible` admits, newest first: guidelines, then
    /// policies by body; within each, the later date (ISO text sorts as
    /// dates; none last), then the later import.
    async fn searchable_documents(
        &self,
        visible: &impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
    ) -> Result<Vec<Candidate>, StoreError> {
        let mut documents = Vec::new();
        for d in self.document_list().await? {
            if visible(d.kind, d.body, d.public) {
                documents.push(d);
            }
        }
        documents.sort_by(|a, b| {
            let rank = |c: &Candidate| u8::from(c.kind != DocumentKind::Guideline);
            rank(a)
                .cmp(&rank(b))
                .then_with(|| a.body.cmp(&b.body))
                .then_with(|| b.published.cmp(&a.published))
                .then_with(|| b.id.cmp(&a.id))
        });
        Ok(documents)
    }

    /// Every stored document a search may look in (of a kind it knows).
    /// Read as one packed row: every search reads them all, and a row
    /// each cost more than the walk on SQLite (sqlx hands each row
    /// across threads). The rows one by one where a field holds a
    /// separator.
    async fn document_list(&self) -> Result<Vec<Candidate>, StoreError> {
        let (cat, unit, record) = match self.backend {
            Backend::Sqlite => ("group_concat", "char(31)", "char(30)"),
            Backend::Postgres => ("string_agg", "chr(31)", "chr(30)"),
        };
        let sql = format!(
            "SELECT COUNT(*), {cat}(CAST(id AS TEXT) || {unit} || kind || {unit} || edition || {unit} \
             || COALESCE('=' || published, '') || {unit} || COALESCE('=' || body_code, '') || {unit} \
             || CAST(made_public AS TEXT) || {unit} || CAST(nodes_revision AS TEXT), {record}) FROM documents"
        );
        let (count, packed): (i64, Option<String>) =
            sqlx::query_as(&sql).fetch_one(&self.pool).await?;
        let packed = packed.unwrap_or_default();
        let unpacked: Option<Vec<Option<Candidate>>> = packed
            .split('\u{1e}')
            .filter(|r| !r.is_empty())
            .map(unpack_document)
            .collect();
        match unpacked {
            Some(list) if list.len() as i64 == count => Ok(list.into_iter().flatten().collect()),
            _ => self.document_rows().await,
        }
    }

    /// [`Store::document_list`] a row at a time.
    async fn document_rows(&self) -> Result<Vec<Candidate>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, edition, published, body_code, made_public, nodes_revision FROM documents",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut documents = Vec::with_capacity(rows.len());
        for row in rows {
            let kind: String = row.try_get("kind")?;
            let Some(kind) = DocumentKind::parse(&kind) else {
                continue;
            };
            let body: Option<String> = row.try_get("body_code")?;
            documents.push(Candidate {
                id: row.try_get("id")?,
                kind,
                edition: row.try_get("edition")?,
                published: row.try_get("published")?,
                body: body.as_deref().and_then(|b| BodyCode::parse(b).ok()),
                public: row.try_get::<i64, _>("made_public")? != 0,
                revision: row.try_get("nodes_revision")?,
            });
        }
        Ok(documents)
    }

    /// The hits `found.places[range]` (each with the line that matched),
    /// with their paths: up the parents in the documents as walked.
    async fn hits_of(
        &self,
        found: &Found,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<Hit>, StoreError> {
        let mut chains = Vec::with_capacity(range.len());
        for ((doc, ord), _) in &found.places[range.clone()] {
            let skeleton = found
                .skeletons
                .get(doc)
                .ok_or_else(|| StoreError::Corrupt(format!("document {doc} not walked")))?;
            let mut chain = Vec::new();
            let mut at = Some(*ord);
            while let Some(o) = at {
                let Some(i) = skeleton.at(o) else {
                    break;
                };
                let shape = self.corpus.shape_id(skeleton.shapes[i]).ok_or_else(|| {
                    StoreError::Corrupt(format!("document {doc}: a node's shape is missing"))
                })?;
                chain.push(shape);
                // A parent comes before its child, so the walk ends.
                at = skeleton.parent(i).filter(|p| *p < o);
            }
            chains.push(chain);
        }
        let mut ids: Vec<i64> = chains.iter().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        let shapes = self.shape_texts(&ids).await?;
        let mut hits = Vec::with_capacity(chains.len());
        for (((doc, _), text), chain) in found.places[range].iter().zip(chains) {
            let d = &found.documents[found.rank[doc]];
            let mut steps = Vec::with_capacity(chain.len());
            for s in &chain {
                steps.push(
                    shapes
                        .get(s)
                        .ok_or_else(|| StoreError::Corrupt(format!("no node shape {s}")))?,
                );
            }
            let Some(own) = steps.first() else {
                return Err(StoreError::Corrupt(format!("document {doc}: a node lost")));
            };
            let section = steps.iter().skip(1).find_map(|s| s.name());
            let mut path: Vec<String> = steps.iter().map(|s| s.segment()).collect();
            path.reverse();
            hits.push(Hit {
                document_id: d.id,
                kind: d.kind,
                edition: d.edition.clone(),
                published: d.published.clone(),
                body: d.body,
                public: d.public,
                key: own.key.clone(),
                label: own.segment(),
                path,
                title: own.name(),
                section,
                text: text.clone(),
            });
        }
        Ok(hits)
    }

    /// The key, label, title and text of shapes `ids`.
    async fn shape_texts(&self, ids: &[i64]) -> Result<HashMap<i64, ShapeText>, StoreError> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = crate::sql::in_list(
                "SELECT s.id, s.node_key, s.label, tt.body AS title, bt.body AS body_text FROM node_shapes s \
                 LEFT JOIN texts tt ON tt.id = s.title_id JOIN texts bt ON bt.id = s.body_id WHERE s.id IN",
                1,
                chunk.len(),
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for row in q.fetch_all(&self.pool).await? {
                out.insert(
                    row.try_get("id")?,
                    ShapeText {
                        key: row.try_get("node_key")?,
                        label: row.try_get("label")?,
                        title: row.try_get("title")?,
                        body: row.try_get("body_text")?,
                    },
                );
            }
        }
        Ok(out)
    }
}

/// A search under way: what it found and what it judged.
struct Search<'a> {
    /// The query as searched (NFKC, no white space).
    needle: &'a str,
    /// Bytes of text the corpus may hold.
    budget: usize,
    /// Per shape slot: [`UNSEEN`], [`NO_HIT`], or [`HIT`] (the text that
    /// holds the needle in `hit_texts`).
    shapes: Vec<u8>,
    hit_texts: foldhash::HashMap<u32, u32>,
    /// Per text slot, as for shapes (the line in `lines`).
    texts: Vec<u8>,
    lines: foldhash::HashMap<u32, String>,
    /// The texts the index says may hold the needle, once asked (only
    /// for texts the corpus has no room for).
    index: Option<HashSet<i64>>,
    /// Hits in order: the node and the line that matched.
    found: Vec<(Place, String)>,
    skeletons: HashMap<i64, Arc<Skeleton>>,
    /// How many hits are enough.
    want: usize,
}

/// A shape or text not judged yet.
const UNSEEN: u8 = 0;
/// One that does not hold the needle.
const NO_HIT: u8 = 1;
/// One that does.
const HIT: u8 = 2;
/// One listed to be judged (so that it is listed once).
const LISTED: u8 = 3;

/// The slots of `verdicts` at `slots` not judged yet, marked listed.
fn unseen(verdicts: &mut Vec<u8>, count: usize, slots: impl Iterator<Item = u32>) -> Vec<u32> {
    if verdicts.len() < count {
        verdicts.resize(count, UNSEEN);
    }
    let mut out = Vec::new();
    for slot in slots {
        let verdict = &mut verdicts[slot as usize];
        if *verdict == UNSEEN {
            *verdict = LISTED;
            out.push(slot);
        }
    }
    out
}

impl Search<'_> {
    /// Records text `slot`'s line holding the needle, if any.
    fn judged_text(&mut self, slot: u32, line: Option<String>) {
        self.texts[slot as usize] = match line {
            Some(line) => {
                self.lines.insert(slot, line);
                HIT
            }
            None => NO_HIT,
        };
    }

    /// Judges the shapes of `skeletons` not judged yet: whether one of
    /// their texts holds the needle, and the line; each text once.
    async fn judge(
        &mut self,
        store: &Store,
        skeletons: &[Arc<Skeleton>],
    ) -> Result<(), StoreError> {
        let corpus = &store.corpus;
        let shapes = unseen(
            &mut self.shapes,
            corpus.shape_count(),
            skeletons.iter().flat_map(|s| s.shapes.iter().copied()),
        );
        if shapes.is_empty() {
            return Ok(());
        }
        let shape_texts = corpus.shape_texts(&shapes);
        let texts = unseen(
            &mut self.texts,
            corpus.text_count(),
            shape_texts
                .iter()
                .flatten()
                .copied()
                .filter(|t| *t != NO_TEXT),
        );
        let to_read = corpus.texts_to_read(&texts, self.budget);
        if !to_read.is_empty() {
            corpus.keep_texts(store.read_texts(&to_read).await?, self.budget);
        }
        let needle = self.needle;
        let checks = corpus.check(&texts, needle, |body| line_holding(body, needle));
        let mut not_held = Vec::new();
        for (slot, check) in texts.into_iter().zip(checks) {
            match check {
                Check::Held(line) => self.judged_text(slot, line),
                Check::NotHeld(id) => not_held.push((slot, id)),
            }
        }
        if !not_held.is_empty() {
            // No room to keep them: only those the index names are read.
            if self.index.is_none() {
                self.index = Some(store.indexed_candidates(needle).await?);
            }
            let mut slot_of = HashMap::new();
            for (slot, id) in not_held {
                if self.index.as_ref().is_some_and(|c| c.contains(&id)) {
                    slot_of.insert(id, slot);
                } else {
                    self.judged_text(slot, None);
                }
            }
            let ids: Vec<i64> = slot_of.keys().copied().collect();
            for (id, body) in store.read_texts(&ids).await? {
                if let Some(slot) = slot_of.remove(&id) {
                    self.judged_text(slot, line_holding(&body, needle));
                }
            }
            if let Some(id) = slot_of.keys().next() {
                return Err(StoreError::Corrupt(format!("text {id} not read")));
            }
        }
        for (slot, texts) in shapes.into_iter().zip(shape_texts) {
            let hit = texts
                .into_iter()
                .find(|t| *t != NO_TEXT && self.texts[*t as usize] == HIT);
            self.shapes[slot as usize] = match hit {
                Some(text) => {
                    self.hit_texts.insert(slot, text);
                    HIT
                }
                None => NO_HIT,
            };
        }
        Ok(())
    }

    /// Walks `batch` (with its `skeletons`, every shape judged) in order,
    /// taking the hits; true once they are enough.
    fn walk(&mut self, batch: &[Candidate], skeletons: &[Arc<Skeleton>]) -> bool {
        for (d, skeleton) in batch.iter().zip(skeletons) {
            let before = self.found.len();
            for (i, slot) in skeleton.shapes.iter().enumerate() {
                if self.shapes[*slot as usize] == HIT {
                    let line = self.lines[&self.hit_texts[slot]].clone();
                    self.found.push(((d.id, skeleton.ord(i)), line));
                    if self.found.len() >= self.want {
                        break;
                    }
                }
            }
            if self.found.len() > before {
                self.skeletons.insert(d.id, skeleton.clone());
            }
            if self.found.len() >= self.want {
                return true;
            }
        }
        false
    }
}
