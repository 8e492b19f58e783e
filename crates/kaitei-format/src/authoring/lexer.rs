//! Lines of the authoring format → front matter and [`Block`]s.

use std::borrow::Cow;

use kaitei_model::Conflict;

use crate::block::{Block, Line};
use crate::diagnostic::Diagnostic;

/// The front matter's YAML text and the file line it starts on.
pub struct FrontMatter<'a> {
    /// The YAML between the `---` lines.
    pub yaml: String,
    /// The file line of the first YAML line.
    pub first_line: usize,
    /// The rest of the file, after the closing `---` line.
    pub rest: &'a str,
    /// The file line `rest` starts on.
    pub rest_line: usize,
}

/// Splits off the front matter. An error (with its line) when the file does
/// not start with a `---` line or the closing `---` is missing (the caller
/// reports it).
///
/// The rest stays one slice of the source, read line by line later: a list
/// of its lines cost 40 bytes a line, more than a short line itself.
pub fn split_front_matter(source: &str) -> Result<FrontMatter<'_>, (usize, &'static str)> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lines = source.split_inclusive('\n');
    fn text(l: &str) -> &str {
        let l = l.strip_suffix('\n').unwrap_or(l);
        l.strip_suffix('\r').unwrap_or(l)
    }
    let mut offset = match lines.next() {
        Some(l) if text(l).trim_end() == "---" => l.len(),
        _ => {
            return Err((
                1,
                "the file does not start with front matter: its first line must be `---`, then `kind:`, `title:`, `edition:` …, then `---`",
            ));
        }
    };
    let mut yaml = String::new();
    for (i, l) in lines.enumerate() {
        offset += l.len();
        if text(l).trim_end() == "---" {
            return Ok(FrontMatter {
                yaml,
                first_line: 2,
                rest: &source[offset..],
                rest_line: i + 3,
            });
        }
        yaml.push_str(text(l));
        yaml.push('\n');
    }
    Err((
        1,
        "the front matter is not closed: add a `---` line after it",
    ))
}

/// The lines of `s`, as [`str::lines`] gives them (split at `\n`, a `\r`
/// before it dropped, no empty line after a final break), with the
/// breaks found by SIMD search: the standard library's search, a word at a
/// time, was a twentieth of reading a full-size file.
pub fn lines(s: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut breaks = memchr::memchr_iter(b'\n', s.as_bytes());
    std::iter::from_fn(move || {
        if start >= s.len() {
            return None;
        }
        Some(match breaks.next() {
            Some(end) => {
                let line = &s[start..end];
                start = end + 1;
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => {
                let line = &s[start..];
                start = s.len();
                line
            }
        })
    })
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}'
}

/// Trims ASCII and full-width white space.
pub fn trim(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// The level of a heading line (`## …` is 2), if it is one.
fn heading_level(t: &str) -> Option<(u8, &str)> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &t[hashes..];
    match rest.chars().next() {
        // `rest` itself, not a literal "": the caller takes the text as a
        // slice of the line (`sub`), and a literal lies outside it (a bare
        // `#` line made `sub` index out of bounds).
        None => Some((hashes as u8, rest)),
        Some(c) if is_space(c) => Some((hashes as u8, trim(rest))),
        _ => None,
    }
}

/// `part` (a slice of `whole`'s text) with `whole`'s lifetime when
/// `whole` is borrowed, so most lines are never copied.
fn sub<'a>(whole: &Cow<'a, str>, part: &str) -> Cow<'a, str> {
    match whole {
        Cow::Borrowed(b) => {
            let start = part.as_ptr() as usize - b.as_ptr() as usize;
            Cow::Borrowed(&b[start..start + part.len()])
        }
        Cow::Owned(_) => Cow::Owned(part.to_string()),
    }
}

/// Removes `<!-- … -->` comments, which may span lines. Returns the line
/// without comments (borrowed when there were none) and whether anything
/// was removed.
fn strip_comments<'a>(line: &'a str, in_comment: &mut bool) -> (Cow<'a, str>, bool) {
    // Almost no line has a `<` at all: one SIMD byte search tells, before
    // the substring search (whose set-up per line cost more than the search).
    if !*in_comment && (memchr::memchr(b'<', line.as_bytes()).is_none() || !line.contains("<!--")) {
        return (Cow::Borrowed(line), false);
    }
    let mut out = String::new();
    let mut rest = line;
    let mut removed = false;
    loop {
        if *in_comment {
            removed = true;
            match rest.find("-->") {
                Some(end) => {
                    rest = &rest[end + 3..];
                    *in_comment = false;
                }
                None => return (Cow::Owned(out), removed),
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push_str(&rest[..start]);
                    rest = &rest[start + 4..];
                    *in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    return (Cow::Owned(out), removed);
                }
            }
        }
    }
}

enum Open<'a> {
    None,
    Text {
        lines: Vec<Line<'a>>,
        escaped: bool,
    },
    Quote {
        line: usize,
        paragraphs: Vec<String>,
        current: String,
    },
}

struct ConflictBuilder {
    line: usize,
    ours_name: String,
    ours: Vec<String>,
    base: Option<(String, Vec<String>)>,
    theirs: Option<Vec<String>>,
}

impl ConflictBuilder {
    fn finish<'a>(self, theirs_name: String) -> Block<'a> {
        Block::Conflict {
            line: self.line,
            conflict: Box::new(Conflict {
                ours_name: self.ours_name,
                ours: self.ours,
                base: self.base,
                theirs: self.theirs.unwrap_or_default(),
                theirs_name,
            }),
        }
    }
}

fn marker<'a>(t: &'a str, m: &str) -> Option<&'a str> {
    let rest = t.strip_prefix(m)?;
    (rest.is_empty() || rest.starts_with(is_space)).then(|| trim(rest))
}

/// Turns the lines after the front matter, each with its line number, into
/// blocks.
pub fn blocks<'a>(
    lines: impl IntoIterator<Item = (usize, &'a str)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Block<'a>> {
    let mut out = Vec::new();
    let mut open = Open::None;
    let mut in_comment = false;
    let mut comment_start = 0;
    let mut conflict: Option<ConflictBuilder> = None;

    let flush =
        |open: &mut Open<'a>, out: &mut Vec<Block<'a>>| match std::mem::replace(open, Open::None) {
            Open::None => {}
            Open::Text { lines, escaped } => out.push(Block::Text { lines, escaped }),
            Open::Quote {
                line,
                mut paragraphs,
                current,
            } => {
                if !current.is_empty() {
                    paragraphs.push(current);
                }
                if !paragraphs.is_empty() {
                    out.push(Block::Quote { line, paragraphs });
                }
            }
        };

    for (number, raw) in lines {
        if let Some(c) = conflict.as_mut() {
            // Inside a conflict everything is verbatim, comments included.
            let t = trim(raw);
            if let Some(name) = marker(t, ">>>>>>>") {
                let c = conflict.take().expect("conflict is open");
                out.push(c.finish(name.to_string()));
            } else if let Some(name) = marker(t, "|||||||").filter(|_| c.theirs.is_none()) {
                c.base = Some((name.to_string(), Vec::new()));
            } else if marker(t, "=======").is_some() && c.theirs.is_none() {
                c.theirs = Some(Vec::new());
            } else if let Some(theirs) = c.theirs.as_mut() {
                theirs.push(raw.to_string());
            } else if let Some((_, base)) = c.base.as_mut() {
                base.push(raw.to_string());
            } else {
                c.ours.push(raw.to_string());
            }
            continue;
        }
        let was_in_comment = in_comment;
        let (line, removed) = strip_comments(raw, &mut in_comment);
        if !was_in_comment && in_comment {
            comment_start = number;
        }
        let t = trim(&line);
        if t.is_empty() {
            // A line that held only a comment is not there at all; a truly
            // blank line ends the paragraph.
            if !removed {
                flush(&mut open, &mut out);
            }
            continue;
        }
        if let Open::Text {
            lines,
            escaped: true,
        } = &mut open
        {
            lines.push(Line {
                number,
                text: sub(&line, t),
            });
            continue;
        }
        if let Some(rest) = t.strip_prefix('\\') {
            flush(&mut open, &mut out);
            open = Open::Text {
                lines: vec![Line {
                    number,
                    text: sub(&line, trim(rest)),
                }],
                escaped: true,
            };
            continue;
        }
        if let Some(name) = marker(t, "<<<<<<<") {
            flush(&mut open, &mut out);
            conflict = Some(ConflictBuilder {
                line: number,
                ours_name: name.to_string(),
                ours: Vec::new(),
                base: None,
                theirs: None,
            });
            continue;
        }
        if let Some((level, text)) = heading_level(t) {
            flush(&mut open, &mut out);
            out.push(Block::Heading {
                line: number,
                level,
                text: sub(&line, text),
            });
            continue;
        }
        if let Some(q) = t.strip_prefix('>') {
            let q = trim(q);
            match &mut open {
                Open::Quote {
                    paragraphs,
                    current,
                    ..
                } => {
                    if q.is_empty() {
                        if !current.is_empty() {
                            paragraphs.push(std::mem::take(current));
                        }
                    } else {
                        current.push_str(q);
                    }
                }
                _ => {
                    flush(&mut open, &mut out);
                    open = Open::Quote {
                        line: number,
                        paragraphs: Vec::new(),
                        current: q.to_string(),
                    };
                }
            }
            continue;
        }
        match &mut open {
            Open::Text { lines, .. } => lines.push(Line {
                number,
                text: sub(&line, t),
            }),
            _ => {
                flush(&mut open, &mut out);
                open = Open::Text {
                    lines: vec![Line {
                        number,
                        text: sub(&line, t),
                    }],
                    escaped: false,
                };
            }
        }
    }
    flush(&mut open, &mut out);
    if let Some(c) = conflict {
        diags.push(Diagnostic::error(
            c.line,
            "a merge conflict starting here has no closing `>>>>>>>` line",
        ));
        out.push(c.finish(String::new()));
    }
    if in_comment {
        diags.push(Diagnostic::error(
            comment_start,
            "an HTML comment `<!--` starting here is never closed with `-->`",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(s: &str) -> Vec<Block<'_>> {
        let mut d = Vec::new();
        let b = blocks(s.lines().enumerate().map(|(i, l)| (i + 1, l)), &mut d);
        assert!(d.is_empty(), "{d:?}");
        b
    }

    #[test]
    fn lines_are_those_of_the_standard_library() {
        for s in [
            "",
            "\n",
            "a",
            "a\n",
            "a\n\nb",
            "a\r\nb\r\n",
            "a\r",
            "a\rb\n\n",
            "\n\nx",
            "一\n二\r\n三",
        ] {
            assert_eq!(
                lines(s).collect::<Vec<_>>(),
                s.lines().collect::<Vec<_>>(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn headings_need_space_after_hashes() {
        let b = lex("## 2. 分類\n#タグ\n####### x");
        assert!(matches!(&b[0], Block::Heading { level: 2, text, .. } if text == "2. 分類"));
        assert!(matches!(&b[1], Block::Text { lines, .. } if lines.len() == 2));
    }

    #[test]
    fn quotes_split_on_empty_quote_lines() {
        let b = lex("> 一つ目\n> の続き\n>\n> 二つ目\n\n> 三つ目");
        assert_eq!(
            b,
            vec![
                Block::Quote {
                    line: 1,
                    paragraphs: vec!["一つ目の続き".into(), "二つ目".into()]
                },
                Block::Quote {
                    line: 6,
                    paragraphs: vec!["三つ目".into()]
                }
            ]
        );
    }

    #[test]
    fn comments_vanish_and_do_not_split_paragraphs() {
        let b = lex("一行目<!-- 注 -->\n<!--\n複数行\n-->\n二行目");
        let Block::Text { lines, .. } = &b[0] else {
            panic!("{b:?}")
        };
        let texts: Vec<_> = lines.iter().map(|l| l.text.as_ref()).collect();
        assert_eq!(texts, ["一行目", "二行目"]);
    }

    #[test]
    fn escaped_runs_to_the_blank_line() {
        let b = lex("\\# 見出しではない\n(1) 項目でもない\n\n(2) 項目");
        assert!(
            matches!(&b[0], Block::Text { escaped: true, lines } if lines.len() == 2 && lines[0].text == "# 見出しではない")
        );
        assert!(matches!(&b[1], Block::Text { escaped: false, .. }));
    }

    #[test]
    fn conflicts_are_verbatim() {
        let b = lex(
            "<<<<<<< 本団体\n# 本団体の文\n||||||| 旧版 令和6年10月版\n旧\n=======\n新\n>>>>>>> 新版 令和7年3月版",
        );
        let Block::Conflict { conflict, line: 1 } = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(conflict.ours, ["# 本団体の文"]);
        assert_eq!(
            conflict.base,
            Some(("旧版 令和6年10月版".into(), vec!["旧".into()]))
        );
        assert_eq!(conflict.theirs, ["新"]);
        assert_eq!(conflict.theirs_name, "新版 令和7年3月版");
    }
}
