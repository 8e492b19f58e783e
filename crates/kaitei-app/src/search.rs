//! Search as people read it: what a query must be, and the hits the user
//! may see cut into pages — documents newest first, a document's hits
//! together — with how many there are in all.

use kaitei_model::text::normalize;
use kaitei_model::{BodyCode, DocumentKind};
use kaitei_store::Hit;

use crate::{App, Result};

/// Fewest characters searched for (the index holds character bigrams).
pub const MIN_CHARS: usize = 2;

/// Most characters searched for.
pub const MAX_CHARS: usize = 100;

/// Hits on one page.
pub const PAGE_SIZE: usize = 50;

/// Most hits counted: past this the count says "more than".
pub const MAX_COUNTED: usize = 2000;

/// Why a query cannot be searched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryProblem {
    /// Fewer than [`MIN_CHARS`] characters (white space aside).
    TooShort,
    /// More than [`MAX_CHARS`] characters.
    TooLong,
}

/// `query` checked: what is searched for is its characters after NFKC,
/// white space aside.
pub fn check_query(query: &str) -> Result<(), QueryProblem> {
    if query.chars().count() > MAX_CHARS {
        return Err(QueryProblem::TooLong);
    }
    let searched = normalize(query)
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    if searched < MIN_CHARS {
        return Err(QueryProblem::TooShort);
    }
    Ok(())
}

/// One document's hits on a page.
#[derive(Debug, Clone)]
pub struct HitGroup {
    /// Guideline or policy.
    pub kind: DocumentKind,
    /// The document's edition name.
    pub edition: String,
    /// For a policy, its body.
    pub body: Option<BodyCode>,
    /// Its hits on this page, in the document's order.
    pub hits: Vec<Hit>,
    /// Its hits on every page.
    pub in_document: usize,
}

/// A page of hits.
#[derive(Debug, Clone)]
pub struct SearchPage {
    /// The documents with hits on this page, newest first.
    pub groups: Vec<HitGroup>,
    /// Hits in all (at most [`MAX_COUNTED`]).
    pub total: usize,
    /// Whether there are more than `total`.
    pub more: bool,
    /// This page, from 1.
    pub page: usize,
    /// Pages in all (at least 1).
    pub pages: usize,
    /// The position of this page's first hit among all (from 1; 0 when
    /// there is none).
    pub first: usize,
}

/// Which page `page` is (from 1; past the last is the last) of `total`
/// hits: the page, how many pages, and the hits it shows.
fn page_of(total: usize, page: usize) -> (usize, usize, std::ops::Range<usize>) {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * PAGE_SIZE;
    (page, pages, start..(start + PAGE_SIZE).min(total))
}

/// The page of hits `shown` (the hits `page_of` chose, newest document
/// first), grouped by document; `documents` gives every hit's document, in
/// order, to count each document's hits on every page.
fn assemble(
    shown: Vec<Hit>,
    documents: impl Iterator<Item = i64>,
    more: bool,
    page: usize,
) -> SearchPage {
    let mut per_document: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    let mut total = 0;
    for d in documents {
        *per_document.entry(d).or_default() += 1;
        total += 1;
    }
    let (page, pages, range) = page_of(total, page);
    let mut groups: Vec<HitGroup> = Vec::new();
    for hit in shown {
        match groups.last_mut() {
            Some(g) if g.hits[0].document_id == hit.document_id => g.hits.push(hit),
            _ => groups.push(HitGroup {
                kind: hit.kind,
                edition: hit.edition.clone(),
                body: hit.body,
                in_document: per_document.get(&hit.document_id).copied().unwrap_or(0),
                hits: vec![hit],
            }),
        }
    }
    SearchPage {
        groups,
        total,
        more,
        page,
        pages,
        first: if total == 0 { 0 } else { range.start + 1 },
    }
}

/// Cuts `hits` (newest document first) into page `page` (from 1; past the
/// last page is the last) of [`PAGE_SIZE`], grouped by document.
pub fn paginate(hits: Vec<Hit>, more: bool, page: usize) -> SearchPage {
    let documents: Vec<i64> = hits.iter().map(|h| h.document_id).collect();
    let (_, _, range) = page_of(hits.len(), page);
    let shown = hits
        .into_iter()
        .skip(range.start)
        .take(range.len())
        .collect();
    assemble(shown, documents.into_iter(), more, page)
}

impl App {
    /// Page `page` of the hits of `query` in the documents `visible`
    /// admits (the caller's authorisation), checked by [`check_query`]
    /// first.
    pub async fn search(
        &self,
        query: &str,
        visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
        page: usize,
    ) -> Result<Result<SearchPage, QueryProblem>> {
        if let Err(problem) = check_query(query) {
            return Ok(Err(problem));
        }
        // Up to MAX_COUNTED hits are counted; only the page's are read
        // whole (their paths).
        let found = self.store.search_found(query, visible, MAX_COUNTED).await?;
        let (_, _, range) = page_of(found.len(), page);
        let shown = self.store.search_hits(&found, range).await?;
        Ok(Ok(assemble(
            shown,
            found.document_ids(),
            found.more(),
            page,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(document_id: i64, n: usize) -> Hit {
        Hit {
            document_id,
            kind: DocumentKind::Guideline,
            edition: format!("版{document_id}"),
            published: None,
            body: None,
            public: false,
            key: format!("k{n}"),
            label: format!("({n})"),
            path: vec![format!("({n})")],
            title: None,
            section: None,
            text: "監査".into(),
        }
    }

    #[test]
    fn queries_of_one_character_or_too_many_are_refused() {
        assert_eq!(check_query("監"), Err(QueryProblem::TooShort));
        assert_eq!(
            check_query(" 監　"),
            Err(QueryProblem::TooShort),
            "white space aside"
        );
        assert_eq!(check_query("監査"), Ok(()));
        assert_eq!(check_query("ＣＩ"), Ok(()));
        assert_eq!(check_query(&"字".repeat(MAX_CHARS)), Ok(()));
        assert_eq!(
            check_query(&"字".repeat(MAX_CHARS + 1)),
            Err(QueryProblem::TooLong)
        );
    }

    #[test]
    fn pages_hold_whole_groups_of_consecutive_hits() {
        // 30 hits in document 1, 40 in document 2: page 1 has 30 + 20,
        // page 2 the other 20 of document 2.
        let hits: Vec<Hit> = (0..30)
            .map(|n| hit(1, n))
            .chain((0..40).map(|n| hit(2, n)))
            .collect();
        let first = paginate(hits.clone(), false, 1);
        assert_eq!(
            (first.total, first.pages, first.page, first.first),
            (70, 2, 1, 1)
        );
        assert_eq!(first.groups.len(), 2);
        assert_eq!(first.groups[0].hits.len(), 30);
        assert_eq!(first.groups[1].hits.len(), 20);
        assert_eq!(first.groups[1].in_document, 40, "counted over every page");
        let second = paginate(hits.clone(), false, 2);
        assert_eq!(second.first, PAGE_SIZE + 1);
        assert_eq!(second.groups.len(), 1);
        assert_eq!(second.groups[0].edition, "版2");
        assert_eq!(second.groups[0].hits[0].key, "k20");
        let past = paginate(hits, false, 9);
        assert_eq!(past.page, 2, "past the last page is the last");
        let none = paginate(Vec::new(), false, 3);
        assert_eq!(
            (none.total, none.pages, none.page, none.first),
            (0, 1, 1, 0)
        );
        assert!(none.groups.is_empty());
    }
}
