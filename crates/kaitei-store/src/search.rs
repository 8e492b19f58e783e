//! Japanese substring search over stored documents through a bigram index.

use std::collections::{BTreeSet, HashMap, HashSet};

use kaitei_model::text::normalize;
use kaitei_model::{BodyCode, DocumentKind, clause_name};
use sqlx::Row;

use crate::{Backend, Store, StoreError};

/// The distinct character bigrams of `text` after NFKC, white space removed.
pub fn bigrams(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = normalize(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
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

/// Above this many nodes holding a candidate text, a search walks the
/// visible documents in their order instead of looking every node up: so
/// common a word fills the hits from the first documents.
const LOOKUP_MAX_NODES: usize = 20_000;

/// Above this many texts holding every bigram of the query, a search reads
/// the visible documents in order and checks their texts, with no
/// candidate sets: the first documents fill the hits.
const COMMON_TEXTS: usize = 2_000;

/// Documents read per query when walking them in order.
const WALK_BATCH: usize = 32;

/// The hits of a search before their paths are read
/// ([`Store::search_found`]).
#[derive(Default)]
pub struct Found {
    documents: Vec<Candidate>,
    rank: HashMap<i64, usize>,
    /// Each hit's node and the line that matched, in order.
    places: Vec<(Place, String)>,
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

/// Which way a search goes, by how common its words are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Routes {
    /// Above this many candidate texts, the documents are read in order.
    pub(crate) common_texts: usize,
    /// Else, above this many nodes of candidate shapes, the documents are
    /// walked in order for those shapes; at most, the nodes are looked up.
    pub(crate) lookup_max: usize,
}

impl Default for Routes {
    fn default() -> Self {
        Routes {
            common_texts: COMMON_TEXTS,
            lookup_max: LOOKUP_MAX_NODES,
        }
    }
}

/// A stored document a search may look in.
struct Candidate {
    id: i64,
    kind: DocumentKind,
    edition: String,
    published: Option<String>,
    body: Option<BodyCode>,
    public: bool,
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
        .find(|line| {
            normalize(line)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .contains(needle)
        })
        .map(str::to_string)
}

/// A shape row's text ids in the order a hit is looked for: title, text,
/// commentary (a node without a title has two).
fn texts_of(row: &sqlx::any::AnyRow) -> Vec<i64> {
    ["title_id", "body_id", "commentary_id"]
        .iter()
        .filter_map(|c| row.try_get::<Option<i64>, _>(*c).ok().flatten())
        .collect()
}

/// The nodes `(ord, shape)` read for each document of `batch`, as places
/// in the batch's document order, each document's in its own order.
fn in_batch_order(
    batch: &[Candidate],
    mut by_document: HashMap<i64, Vec<(i64, i64)>>,
) -> Vec<(Place, i64)> {
    let mut places = Vec::new();
    for d in batch {
        if let Some(mut nodes) = by_document.remove(&d.id) {
            nodes.sort_unstable();
            places.extend(nodes.into_iter().map(|(ord, shape)| ((d.id, ord), shape)));
        }
    }
    places
}

/// A list of ids bound as one parameter, a JSON array: a common word's
/// candidate texts and shapes run to thousands, past what a statement may
/// bind one by one.
fn id_list(ids: impl IntoIterator<Item = i64>) -> String {
    let list: Vec<String> = ids.into_iter().map(|i| i.to_string()).collect();
    format!("[{}]", list.join(","))
}

/// SQL for the ids in the JSON array bound as parameter `n`.
fn ids_in(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => format!("(SELECT value FROM json_each(${n}))"),
        Backend::Postgres => {
            format!("(SELECT CAST(jsonb_array_elements_text(CAST(${n} AS jsonb)) AS BIGINT))")
        }
    }
}

/// What a search looks for: the query's bigrams, and the texts not indexed
/// yet that hold it.
struct ShapeFilter {
    backend: Backend,
    grams: Vec<String>,
    pending: Vec<i64>,
}

impl ShapeFilter {
    /// The candidate texts' ids: on the index (a row per bigram and text
    /// on SQLite, an array per text on PostgreSQL).
    fn texts_sql(&self) -> String {
        let list: Vec<String> = (1..=self.grams.len()).map(|i| format!("${i}")).collect();
        match self.backend {
            Backend::Sqlite => format!(
                "SELECT text_id FROM text_bigrams WHERE bigram IN ({}) GROUP BY text_id HAVING COUNT(*) = {}",
                list.join(", "),
                self.grams.len()
            ),
            Backend::Postgres => format!(
                "SELECT text_id FROM text_grams WHERE grams @> CAST(ARRAY[{}] AS TEXT[])",
                list.join(", ")
            ),
        }
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
    /// Texts are stored and indexed once (see the texts module): the
    /// texts holding every bigram of the query (and those not indexed yet
    /// that hold it), the node shapes holding those texts, then the nodes
    /// of those shapes — looked up where few, else met by walking the
    /// visible documents in order until the hits are enough. A text is
    /// read (to check that it holds the query, and where) only when a node
    /// of it is next in line.
    pub async fn search_up_to(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        limit: usize,
    ) -> Result<(Vec<Hit>, bool), StoreError> {
        self.search_with(query, visible, limit, Routes::default())
            .await
    }

    /// [`Store::search_up_to`] by the routes `routes` allows (tests take
    /// each).
    pub(crate) async fn search_with(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        limit: usize,
        routes: Routes,
    ) -> Result<(Vec<Hit>, bool), StoreError> {
        let found = self.find_with(query, visible, limit, routes).await?;
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
        self.find_with(query, visible, limit, Routes::default())
            .await
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
        self.hits_of(&found.places[start..end], &found.documents, &found.rank)
            .await
    }

    async fn find_with(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        limit: usize,
        routes: Routes,
    ) -> Result<Found, StoreError> {
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
        // Texts not indexed yet are few (see `texts::PENDING_TEXTS`): read.
        let mut texts: HashMap<i64, Option<String>> = HashMap::new();
        let mut pending = Vec::new();
        for row in sqlx::query("SELECT id, body FROM texts WHERE indexed = 0")
            .fetch_all(&self.pool)
            .await?
        {
            let id: i64 = row.try_get("id")?;
            let line = line_holding(&row.try_get::<String, _>("body")?, &needle);
            if line.is_some() {
                pending.push(id);
            }
            texts.insert(id, line);
        }
        let filter = ShapeFilter {
            backend: self.backend,
            grams,
            pending,
        };
        let documents = self.searchable_documents(&visible).await?;
        let rank: HashMap<i64, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id, i))
            .collect();
        let mut search = Search {
            needle: &needle,
            texts,
            found: Vec::new(),
            want: limit + 1,
        };
        if self.common(&filter, routes.common_texts).await? {
            // So common a word that the first documents fill the hits:
            // their nodes are read in order and their texts checked, with
            // no candidate sets to make.
            let mut shapes = HashMap::new();
            for batch in documents.chunks(WALK_BATCH) {
                let nodes = self.walk_all(batch, &mut shapes).await?;
                search.check(self, &nodes).await?;
                if search.found.len() >= search.want {
                    break;
                }
            }
        } else {
            let shapes = self.candidate_shapes(&filter).await?;
            let with_texts = |places: Vec<(Place, i64)>| -> Vec<(Place, Vec<i64>)> {
                places
                    .into_iter()
                    .map(|(p, s)| (p, shapes.get(&s).cloned().unwrap_or_default()))
                    .collect()
            };
            let shape_ids = id_list(shapes.keys().copied());
            match self.looked_up(&shape_ids, &rank, routes.lookup_max).await? {
                Some(places) => search.check(self, &with_texts(places)).await?,
                None => {
                    for batch in documents.chunks(WALK_BATCH) {
                        let places = self.walk(&shape_ids, batch).await?;
                        search.check(self, &with_texts(places)).await?;
                        if search.found.len() >= search.want {
                            break;
                        }
                    }
                }
            }
        }
        let mut places = search.found;
        let more = places.len() > limit;
        places.truncate(limit);
        Ok(Found {
            documents,
            rank,
            places,
            more,
        })
    }

    /// Whether more than `common_texts` texts may hold the query
    /// (counted on the index, nothing read).
    async fn common(&self, filter: &ShapeFilter, common_texts: usize) -> Result<bool, StoreError> {
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM ({}) t LIMIT {}) c",
            filter.texts_sql(),
            common_texts.saturating_add(1).min(i64::MAX as usize)
        );
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for g in &filter.grams {
            q = q.bind(g.as_str());
        }
        let (count,) = q.fetch_one(&self.pool).await?;
        Ok(count as usize > common_texts)
    }

    /// Every node of `batch` (documents in order) with its texts (title,
    /// text, commentary), in order. The nodes' shapes are read once each
    /// (`shapes` keeps them): documents share most of theirs.
    async fn walk_all(
        &self,
        batch: &[Candidate],
        shapes: &mut HashMap<i64, Vec<i64>>,
    ) -> Result<Vec<(Place, Vec<i64>)>, StoreError> {
        let sql = crate::sql::in_list(
            "SELECT document_id, ord, shape_id FROM node_rows WHERE document_id IN",
            1,
            batch.len(),
        );
        let mut q = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
        for d in batch {
            q = q.bind(d.id);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let mut unknown: Vec<i64> = rows
            .iter()
            .map(|(_, _, shape)| *shape)
            .filter(|s| !shapes.contains_key(s))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty() {
            let sql = format!(
                "SELECT id, title_id, body_id, commentary_id FROM node_shapes WHERE id IN {}",
                ids_in(self.backend, 1)
            );
            for row in sqlx::query(&sql)
                .bind(id_list(unknown))
                .fetch_all(&self.pool)
                .await?
            {
                shapes.insert(row.try_get("id")?, texts_of(&row));
            }
        }
        let mut by_document: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
        for (document, ord, shape) in rows {
            by_document.entry(document).or_default().push((ord, shape));
        }
        Ok(in_batch_order(batch, by_document)
            .into_iter()
            .map(|(place, shape)| (place, shapes.get(&shape).cloned().unwrap_or_default()))
            .collect())
    }

    /// The shapes holding a candidate text: for each, which of its texts
    /// are candidates, in the order a hit is looked for (title, text,
    /// commentary). The index is asked once; what follows goes by ids.
    async fn candidate_shapes(
        &self,
        filter: &ShapeFilter,
    ) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
        let sql = filter.texts_sql();
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for g in &filter.grams {
            q = q.bind(g.as_str());
        }
        let mut candidates: HashSet<i64> = q
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect();
        candidates.extend(&filter.pending);
        let mut shapes = HashMap::new();
        if candidates.is_empty() {
            return Ok(shapes);
        }
        let ids = ids_in(self.backend, 1);
        let sql = format!(
            "SELECT id, title_id, body_id, commentary_id FROM node_shapes \
             WHERE body_id IN {ids} OR title_id IN {ids} OR commentary_id IN {ids}"
        );
        let rows = sqlx::query(&sql)
            .bind(id_list(candidates.iter().copied()))
            .fetch_all(&self.pool)
            .await?;
        for row in rows {
            let mut held = texts_of(&row);
            held.retain(|t| candidates.contains(t));
            shapes.insert(row.try_get::<i64, _>("id")?, held);
        }
        Ok(shapes)
    }

    /// The documents `visible` admits, newest first: guidelines, then
    /// policies by body; within each, the later date (ISO text sorts as
    /// dates; none last), then the later import.
    async fn searchable_documents(
        &self,
        visible: &impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
    ) -> Result<Vec<Candidate>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, edition, published, body_code, made_public FROM documents",
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
            let body = body.as_deref().and_then(|b| BodyCode::parse(b).ok());
            let public = row.try_get::<i64, _>("made_public")? != 0;
            if !visible(kind, body, public) {
                continue;
            }
            documents.push(Candidate {
                id: row.try_get("id")?,
                kind,
                edition: row.try_get("edition")?,
                published: row.try_get("published")?,
                body,
                public,
            });
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

    /// The visible nodes of the candidate shapes (`shapes`, a JSON list)
    /// with their shapes, in the documents' order, when there are at most
    /// `lookup_max` in all; `None` when more (the documents are walked
    /// instead). Indexed documents through `shape_nodes`, the few others
    /// by their nodes.
    async fn looked_up(
        &self,
        shapes: &str,
        rank: &HashMap<i64, usize>,
        lookup_max: usize,
    ) -> Result<Option<Vec<(Place, i64)>>, StoreError> {
        let ids = ids_in(self.backend, 1);
        let sql = format!(
            "SELECT shape_id, document_id, ord FROM shape_nodes WHERE shape_id IN {ids} \
             UNION ALL SELECT shape_id, document_id, ord FROM node_rows \
             WHERE document_id IN (SELECT id FROM documents WHERE indexed = 0) AND shape_id IN {ids} LIMIT {}",
            lookup_max.saturating_add(1).min(i64::MAX as usize)
        );
        // Counted first: the rows of a common word are many, and only
        // counting them costs nothing outside the database.
        let (count,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM ({sql}) c"))
            .bind(shapes)
            .fetch_one(&self.pool)
            .await?;
        if count as usize > lookup_max {
            return Ok(None);
        }
        let rows = sqlx::query(&sql).bind(shapes).fetch_all(&self.pool).await?;
        let mut places = Vec::with_capacity(rows.len());
        for row in rows {
            let place: Place = (row.try_get("document_id")?, row.try_get("ord")?);
            if rank.contains_key(&place.0) {
                places.push((place, row.try_get("shape_id")?));
            }
        }
        places.sort_by_key(|((doc, ord), _)| (rank[doc], *ord));
        Ok(Some(places))
    }

    /// The nodes of the candidate shapes (`shapes`, a JSON list) in
    /// `batch` (documents in order), with their shapes, in order.
    async fn walk(
        &self,
        shapes: &str,
        batch: &[Candidate],
    ) -> Result<Vec<(Place, i64)>, StoreError> {
        let sql = crate::sql::in_list(
            &format!(
                "SELECT document_id, ord, shape_id FROM node_rows WHERE shape_id IN {} AND document_id IN",
                ids_in(self.backend, 1)
            ),
            2,
            batch.len(),
        );
        let mut q = sqlx::query(&sql).bind(shapes);
        for d in batch {
            q = q.bind(d.id);
        }
        let mut by_document: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
        for row in q.fetch_all(&self.pool).await? {
            by_document
                .entry(row.try_get("document_id")?)
                .or_default()
                .push((row.try_get("ord")?, row.try_get("shape_id")?));
        }
        Ok(in_batch_order(batch, by_document))
    }

    /// The hits at `found` (each with the line that matched), with their
    /// paths: the nodes and their ancestors are read a level at a time,
    /// and every shape on the way once.
    async fn hits_of(
        &self,
        found: &[(Place, String)],
        documents: &[Candidate],
        rank: &HashMap<i64, usize>,
    ) -> Result<Vec<Hit>, StoreError> {
        // (document, ord) → (parent, shape)
        let mut skeleton: HashMap<Place, (Option<i64>, i64)> = HashMap::new();
        let mut wanted: Vec<Place> = found.iter().map(|(p, _)| *p).collect();
        while !wanted.is_empty() {
            wanted.retain(|p| !skeleton.contains_key(p));
            wanted.sort_unstable();
            wanted.dedup();
            let mut parents = Vec::new();
            for chunk in wanted.chunks(250) {
                let mut sql = String::from(
                    "SELECT document_id, ord, parent_ord, shape_id FROM node_rows WHERE ",
                );
                for i in 0..chunk.len() {
                    if i > 0 {
                        sql.push_str(" OR ");
                    }
                    sql.push_str(&format!(
                        "(document_id = ${} AND ord = ${})",
                        2 * i + 1,
                        2 * i + 2
                    ));
                }
                let mut q = sqlx::query(&sql);
                for (doc, ord) in chunk {
                    q = q.bind(*doc).bind(*ord);
                }
                for row in q.fetch_all(&self.pool).await? {
                    let place: Place = (row.try_get("document_id")?, row.try_get("ord")?);
                    let parent: Option<i64> = row.try_get("parent_ord")?;
                    // A parent comes before its child, so the walk ends.
                    if let Some(p) = parent.filter(|p| *p < place.1) {
                        parents.push((place.0, p));
                    }
                    skeleton.insert(place, (parent, row.try_get("shape_id")?));
                }
            }
            wanted = parents;
        }
        let chains: Vec<Vec<i64>> = found
            .iter()
            .map(|((doc, ord), _)| {
                let mut chain = Vec::new();
                let mut at = Some(*ord);
                while let Some(o) = at {
                    let Some((parent, shape)) = skeleton.get(&(*doc, o)) else {
                        break;
                    };
                    chain.push(*shape);
                    at = parent.filter(|p| *p < o);
                }
                chain
            })
            .collect();
        let mut ids: Vec<i64> = chains.iter().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        let shapes = self.shape_texts(&ids).await?;
        let mut hits = Vec::with_capacity(found.len());
        for (((doc, _), text), chain) in found.iter().zip(chains) {
            let d = &documents[rank[doc]];
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

/// The hits found so far and the texts read to find them.
struct Search<'a> {
    needle: &'a str,
    /// Texts read: the first line of each that holds the needle, if any.
    texts: HashMap<i64, Option<String>>,
    /// Hits in order: the node and the line that matched.
    found: Vec<(Place, String)>,
    /// How many hits are enough.
    want: usize,
}

impl Search<'_> {
    /// Checks the candidate nodes at `places` in order, reading the texts
    /// not read yet (a batch at a time), until the hits are enough.
    /// `places` are nodes with their candidate texts (title, text,
    /// commentary, in that order).
    async fn check(
        &mut self,
        store: &Store,
        places: &[(Place, Vec<i64>)],
    ) -> Result<(), StoreError> {
        for batch in places.chunks(256) {
            if self.found.len() >= self.want {
                return Ok(());
            }
            let mut unread: Vec<i64> = batch
                .iter()
                .flat_map(|(_, texts)| texts)
                .filter(|t| !self.texts.contains_key(t))
                .copied()
                .collect();
            unread.sort_unstable();
            unread.dedup();
            for chunk in unread.chunks(500) {
                let sql =
                    crate::sql::in_list("SELECT id, body FROM texts WHERE id IN", 1, chunk.len());
                let mut q = sqlx::query(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                for row in q.fetch_all(&store.pool).await? {
                    let line = line_holding(&row.try_get::<String, _>("body")?, self.needle);
                    self.texts.insert(row.try_get("id")?, line);
                }
            }
            for (place, texts) in batch {
                let line = texts
                    .iter()
                    .find_map(|t| self.texts.get(t).cloned().flatten());
                if let Some(line) = line {
                    self.found.push((*place, line));
                    if self.found.len() >= self.want {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }
}
