//! The 新旧対照表 in the format a user chose.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use kaitei_compare::view::lay_out;
use kaitei_compare::{Comparison, KeyUse, compare};
use kaitei_model::{Document, EditionName};
use kaitei_report::table::{Citations, Columns, TableOptions, docx, html, json, text, xlsx};

use crate::{App, Error, Result, blocking};

/// A format the 新旧対照表 is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableFormat {
    /// Word, the ministry's layout.
    Docx,
    /// A self-contained HTML file.
    Html,
    /// Excel, one row per change.
    Xlsx,
    /// The JSON of `CONTRACTS.md`.
    Json,
    /// Plain text (coloured on a terminal).
    Text,
}

impl TableFormat {
    /// Every format, in the order menus offer them.
    pub const ALL: [TableFormat; 5] = [
        TableFormat::Docx,
        TableFormat::Xlsx,
        TableFormat::Html,
        TableFormat::Json,
        TableFormat::Text,
    ];

    /// The word on the command line and in URLs; also the file extension
    /// (`txt` for text).
    pub fn as_str(self) -> &'static str {
        match self {
            TableFormat::Docx => "docx",
            TableFormat::Html => "html",
            TableFormat::Xlsx => "xlsx",
            TableFormat::Json => "json",
            TableFormat::Text => "text",
        }
    }

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Text => "txt",
            other => other.as_str(),
        }
    }

    /// The name people know it by.
    pub fn display_name(self) -> &'static str {
        match self {
            TableFormat::Docx => "Word",
            TableFormat::Html => "HTML",
            TableFormat::Xlsx => "Excel",
            TableFormat::Json => "JSON",
            TableFormat::Text => "text",
        }
    }

    /// Its media type.
    pub fn content_type(self) -> &'static str {
        match self {
            TableFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            TableFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            TableFormat::Html => "text/html; charset=utf-8",
            TableFormat::Json => "application/json",
            TableFormat::Text => "text/plain; charset=utf-8",
        }
    }

    /// Whether it is binary (not for a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, TableFormat::Docx | TableFormat::Xlsx)
    }
}

impl fmt::Display for TableFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no table format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format {0:?}: use docx, html, xlsx, json or text")]
pub struct UnknownFormat(pub String);

impl FromStr for TableFormat {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        TableFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// How a table is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Layout {
    /// Which side is on the left.
    pub columns: Columns,
    /// Unchanged neighbours kept around each change (the rest fold to （略）).
    pub context: usize,
    /// Colour for a terminal (text only).
    pub colour: bool,
}

/// The table of `cmp` in `format`.
pub fn render(cmp: &Comparison, format: TableFormat, layout: Layout) -> Result<Vec<u8>> {
    render_cited(cmp, format, layout, &Citations::new())
}

/// The table of `cmp` in `format`, each changed row citing the
/// consultation comments behind it.
pub fn render_cited(
    cmp: &Comparison,
    format: TableFormat,
    layout: Layout,
    citations: &Citations,
) -> Result<Vec<u8>> {
    let options = TableOptions {
        columns: layout.columns,
    };
    let lines = || {
        let mut lines = lay_out(cmp, layout.context);
        kaitei_compare::view::cite(&mut lines, citations);
        lines
    };
    Ok(match format {
        TableFormat::Json => json::to_json_bytes_cited(cmp, citations),
        TableFormat::Text => text::render(&lines(), layout.colour).into_bytes(),
        TableFormat::Html => html::to_html(cmp, &lines(), &options).into_bytes(),
        TableFormat::Docx => docx::to_docx(cmp, &lines(), &options),
        TableFormat::Xlsx => xlsx::to_xlsx_cited(cmp, citations, &options)
            .map_err(|e| Error::Internal(format!("cannot write the workbook: {e}")))?,
    })
}

/// Which keys a comparison may trust: keys kaitei made up for a file mean
/// nothing, stored keys were carried forward from edition to edition.
pub fn key_use(old_stored: bool, new_stored: bool) -> KeyUse {
    match (old_stored, new_stored) {
        (true, true) => KeyUse::All,
        (true, false) => KeyUse::OldAll,
        _ => KeyUse::Pinned,
    }
}

/// The 新旧対照表 of `old` and `new` (keys carried from one to the other)
/// to show inside a page.
fn fragment(
    old: &Document,
    new: &Document,
    layout: Layout,
    citations: &Citations,
) -> TableFragment {
    let cmp = compare(old, new, KeyUse::All);
    let options = TableOptions {
        columns: layout.columns,
    };
    let mut lines = lay_out(&cmp, layout.context);
    kaitei_compare::view::cite(&mut lines, citations);
    TableFragment {
        title: kaitei_report::table::table_title(&cmp),
        html: html::to_html_fragment(&cmp, &lines, &options),
        changes: cmp
            .rows
            .iter()
            .filter(|r| r.kind != kaitei_compare::RowKind::Unchanged || r.moved || r.renumbered)
            .count(),
    }
}

/// The 新旧対照表 to show inside a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFragment {
    /// Its title (「…」新旧対照表).
    pub title: String,
    /// The table and its scoped style (HTML, escaped).
    pub html: String,
    /// Rows that change something (0: the two are the same).
    pub changes: usize,
}

impl App {
    /// The 新旧対照表 of two stored editions, to show inside a page.
    pub async fn edition_table_fragment(
        &self,
        old: &EditionName,
        new: &EditionName,
        layout: Layout,
    ) -> Result<TableFragment> {
        let citations = self.citations(new).await?;
        let (old, new): (Arc<Document>, Arc<Document>) =
            (self.edition(old).await?, self.edition(new).await?);
        blocking(move || fragment(&old, &new, layout, &citations)).await
    }

    /// The 新旧対照表 of two stored editions in `format`.
    pub async fn edition_table(
        &self,
        old: &EditionName,
        new: &EditionName,
        format: TableFormat,
        layout: Layout,
    ) -> Result<Vec<u8>> {
        let citations = self.citations(new).await?;
        let (old, new): (Arc<Document>, Arc<Document>) =
            (self.edition(old).await?, self.edition(new).await?);
        blocking(move || {
            render_cited(
                &compare(&old, &new, KeyUse::All),
                format,
                layout,
                &citations,
            )
        })
        .await?
    }

    /// The comments behind the changes of `edition`, when it was published
    /// from a draft: those its changes cite, and those disposed of as
    /// reflected (反映), on the clause they are anchored to now.
    pub async fn citations(&self, edition: &EditionName) -> Result<Citations> {
        let mut out = Citations::new();
        let Some(draft) = self
            .store
            .drafts()
            .await?
            .into_iter()
            .find(|d| d.published_edition.as_deref() == Some(edition.as_str()))
        else {
            return Ok(out);
        };
        for change in self.store.draft_changes(draft.id, None).await? {
            out.entry(change.key).or_default().extend(change.comments);
        }
        for c in self.store.consultations().await? {
            if c.draft_id != draft.id {
                continue;
            }
            let review = self.comment_review(c.plan.id.as_str()).await?;
            for rc in review.comments {
                let reflected = rc.disposition.as_ref().is_some_and(|d| {
                    d.kind == kaitei_model::disposition::DispositionKind::Reflected
                });
                if let (true, Some(key)) = (reflected, rc.anchor.clause) {
                    out.entry(key).or_default().push(rc.received.id);
                }
            }
        }
        for ids in out.values_mut() {
            ids.sort();
            ids.dedup();
        }
        out.retain(|_, ids| !ids.is_empty());
        Ok(out)
    }
}

impl App {
    /// The 新旧対照表 of a draft against the edition it revises, to show
    /// inside a page; with the draft's version it was made of.
    pub async fn draft_table_fragment(
        &self,
        draft: i64,
        layout: Layout,
    ) -> Result<(TableFragment, i64)> {
        let (version, old, new) = self.draft_pair(draft).await?;
        let fragment = blocking(move || fragment(&old, &new, layout, &Citations::new())).await?;
        Ok((fragment, version))
    }

    /// The 新旧対照表 of a draft against the edition it revises, in `format`.
    pub async fn draft_table(
        &self,
        draft: i64,
        format: TableFormat,
        layout: Layout,
    ) -> Result<Vec<u8>> {
        let (_, old, new) = self.draft_pair(draft).await?;
        blocking(move || render(&compare(&old, &new, KeyUse::All), format, layout)).await?
    }

    /// A draft's version, the edition it revises and its text now.
    async fn draft_pair(&self, draft: i64) -> Result<(i64, Arc<Document>, Arc<Document>)> {
        let (summary, doc) = self
            .store
            .load_draft(draft)
            .await?
            .ok_or_else(|| crate::Error::NotFound(format!("no draft {draft}")))?;
        let base = summary.base_edition.as_deref().ok_or_else(|| {
            crate::Error::Invalid(format!(
                "draft {} revises no edition: there is nothing to compare it with",
                summary.name
            ))
        })?;
        let old = self.edition_named(base).await?;
        Ok((summary.version, old, Arc::new(doc)))
    }
}
