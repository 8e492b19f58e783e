//! What a paragraph of a law-style text is by its shape alone: a 編/章/節/款
//! heading written as a plain paragraph, `附則`, `目次`, a `・` bullet, an
//! article line that is only its caption.

use kaitei_model::law::{SUPPLEMENTARY_RANK, supplementary_title};
use kaitei_model::{Label, LabelContext, heading_rank_at, split_label};

/// The longest title, in characters, that a paragraph of only a
/// part/chapter/section label and a title may have and still be a heading
/// (`第3章の2 情報システム全体の強靭性の向上` has 15). Real titles stay far
/// below it; a sentence that happens to start with `第2章` rarely does.
pub const HEADING_TITLE_MAX: usize = 40;

/// The longest phrase, in characters, on an article line (`第1条 対象範囲`)
/// that is read as the article's caption when an unlabelled paragraph
/// follows. Captions are a few words; longer text is the article's own.
pub const CAPTION_PHRASE_MAX: usize = 20;

/// A paragraph that is a law-style heading without `#`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LawHeading {
    /// `第1章 総則`: a part/chapter/section/subsection label and its title.
    Labelled {
        /// The label.
        label: Label,
        /// The title (may be empty).
        title: String,
        /// 1 編, 2 章, 3 節, 4 款.
        rank: u8,
    },
    /// `附則`, `附則（令和5年3月31日訓令第1号）`.
    Supplementary {
        /// The title as kept.
        title: String,
    },
}

impl LawHeading {
    /// The heading's law-style rank (附則 is 0).
    pub fn rank(&self) -> u8 {
        match self {
            LawHeading::Labelled { rank, .. } => *rank,
            LawHeading::Supplementary { .. } => SUPPLEMENTARY_RANK,
        }
    }
}

/// Whether `text` (one paragraph) is only a 編/章/節/款 label and a short
/// title with no sentence in it, or a 附則 line.
pub fn law_heading(text: &str) -> Option<LawHeading> {
    if let Some(title) = supplementary_title(text) {
        return Some(LawHeading::Supplementary { title });
    }
    // Asked of every line of every text run: the label's kind is read
    // first, and a label made (and its text copied) only for the few
    // lines whose kind is a heading's.
    heading_rank_at(text)?;
    let (label, title) = split_label(text, LabelContext::Item)?;
    let rank = label.style().heading_rank()?;
    (!title.contains('。') && title.chars().count() <= HEADING_TITLE_MAX).then(|| {
        LawHeading::Labelled {
            label,
            title: title.to_string(),
            rank,
        }
    })
}

/// Whether `text` is a table-of-contents line: `目次`, `目　次`.
pub fn is_contents_marker(text: &str) -> bool {
    let mut chars = text.chars().filter(|c| !c.is_whitespace());
    chars.next() == Some('目') && chars.next() == Some('次') && chars.next().is_none()
}

/// The text of a `・` bullet (`・情報資産を…` → `情報資産を…`).
pub fn bullet(text: &str) -> Option<&str> {
    text.strip_prefix(['・', '･'])
        .map(|rest| rest.trim_start_matches(|c: char| c.is_whitespace()))
}

/// Words of a table's header row (`用語 | 意義`): such a row names the
/// columns and is not content.
const HEADER_WORDS: &[&str] = &[
    "用語",
    "意義",
    "用語の意義",
    "語句",
    "定義",
    "意味",
    "説明",
    "内容",
    "区分",
    "項目",
    "名称",
    "事項",
    "番号",
];

/// Whether a table row is a header row by its words alone.
pub fn header_row(cells: &[String]) -> bool {
    let words: Vec<String> = cells
        .iter()
        .map(|c| {
            c.chars()
                .filter(|ch| !ch.is_whitespace())
                .collect::<String>()
        })
        .filter(|c| !c.is_empty())
        .collect();
    !words.is_empty() && words.iter().all(|w| HEADER_WORDS.contains(&w.as_str()))
}

/// Whether the text after an article's label is only a phrase that can be
/// its caption: short, and no sentence (no `。`, not ending in `、`).
pub fn caption_phrase(text: &str) -> bool {
    // Printed back as `（phrase）`, it must read as a caption, not a label.
    let as_caption = || Label::parse(&format!("（{text}）"), LabelContext::Item).is_none();
    !text.is_empty()
        && text.chars().count() <= CAPTION_PHRASE_MAX
        && !text.contains('。')
        && !text.ends_with(['、', '，', ',', '：', ':'])
        && !text.starts_with(['（', '(', '「', '・'])
        && as_caption()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_by_the_kind_of_label() {
        let rank = |s: &str| law_heading(s).map(|h| h.rank());
        assert_eq!(rank("第1編 総則"), Some(1));
        assert_eq!(rank("第2章　組織体制"), Some(2));
        assert_eq!(rank("第3章の2 情報システム全体の強靭性の向上"), Some(2));
        assert_eq!(rank("第1節 通則"), Some(3));
        assert_eq!(rank("第1款 禁止行為"), Some(4));
        assert_eq!(rank("第2章"), Some(2));
        assert_eq!(rank("附　則"), Some(0));
        assert_eq!(rank("附則（令和5年3月31日訓令第1号）"), Some(0));
        // A sentence, an article, a long run of text are not headings.
        assert_eq!(rank("第2章 この章の規定は、別に定める。"), None);
        assert_eq!(rank("第1条 目的"), None);
        assert_eq!(rank("第2章の規定により"), None);
        assert_eq!(rank("附則第2項の規定"), None);
    }

    #[test]
    fn the_title_length_threshold() {
        let at = format!("第1章 {}", "あ".repeat(HEADING_TITLE_MAX));
        let over = format!("第1章 {}", "あ".repeat(HEADING_TITLE_MAX + 1));
        assert!(law_heading(&at).is_some());
        assert!(law_heading(&over).is_none());
    }

    #[test]
    fn the_caption_phrase_threshold() {
        assert!(caption_phrase("対象範囲"));
        assert!(caption_phrase(&"あ".repeat(CAPTION_PHRASE_MAX)));
        assert!(!caption_phrase(&"あ".repeat(CAPTION_PHRASE_MAX + 1)));
        assert!(!caption_phrase("この規程は、別に定める。"));
        assert!(!caption_phrase("次の各号に掲げる者は、"));
        assert!(!caption_phrase(""));
        assert!(!caption_phrase("ア"), "（ア） is a label");
    }

    #[test]
    fn header_rows() {
        let row =
            |cells: &[&str]| header_row(&cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        assert!(row(&["用語", "意義"]));
        assert!(row(&["用　語", "意　義", ""]));
        assert!(!row(&["CISO", "最高情報セキュリティ責任者"]));
        assert!(!row(&["", ""]));
    }

    #[test]
    fn contents_markers_and_bullets() {
        assert!(is_contents_marker("目次"));
        assert!(is_contents_marker("目　次"));
        assert!(!is_contents_marker("目次の例"));
        assert_eq!(bullet("・情報資産"), Some("情報資産"));
        assert_eq!(bullet("･ 半角"), Some("半角"));
        assert_eq!(bullet("情報・資産"), None);
    }
}
