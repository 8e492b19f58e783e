//! The comparison table as text, for a terminal (coloured) or a pipe.

use kaitei_compare::view::{Cell, DELETED_MARK, FOLDED_MARK, Line, NEW_MARK, Segment};

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const BOLD: &str = "\x1b[1m";
const UNDERLINE: &str = "\x1b[4m";
const RESET: &str = "\x1b[0m";

fn segments(out: &mut String, segs: &[Segment], colour: Option<&str>) {
    for s in segs {
        match (s.underline, colour) {
            (true, Some(c)) => {
                out.push_str(c);
                out.push_str(UNDERLINE);
                out.push_str(&s.text);
                out.push_str(RESET);
            }
            (true, None) => {
                // Without colour, changed runs are bracketed.
                out.push('［');
                out.push_str(&s.text);
                out.push('］');
            }
            (false, _) => out.push_str(&s.text),
        }
    }
}

fn cell(out: &mut String, sign: char, c: Option<&Cell>, missing: &str, colour: Option<&str>) {
    out.push_str("  ");
    out.push(sign);
    out.push(' ');
    let Some(c) = c else {
        out.push_str(missing);
        out.push('\n');
        return;
    };
    if !c.label.is_empty() {
        if c.label_marked {
            out.push('《');
            out.push_str(&c.label);
            out.push('》');
        } else {
            out.push_str(&c.label);
        }
        out.push(' ');
    }
    segments(out, &c.title, colour);
    let mut first = c.title.is_empty();
    for p in &c.paragraphs {
        if !first {
            out.push_str("\n      ");
        }
        first = false;
        segments(out, p, colour);
    }
    for p in &c.commentary {
        out.push_str("\n      （解説）");
        segments(out, p, colour);
    }
    out.push('\n');
}

/// Renders laid-out lines. `colour` uses ANSI escapes (for a terminal);
/// without it, changed runs are shown in ［ ］ and moved or renumbered
/// labels in 《 》.
pub fn render(lines: &[Line], colour: bool) -> String {
    let mut out = String::new();
    let (red, green) = if colour {
        (Some(RED), Some(GREEN))
    } else {
        (None, None)
    };
    for line in lines {
        match line {
            Line::Folded(n) => {
                out.push_str(&format!("  {FOLDED_MARK} ({n})\n\n"));
            }
            Line::Row {
                kind,
                moved,
                renumbered,
                old,
                new,
            } => {
                let path = new.as_ref().or(old.as_ref()).map(|c| {
                    if c.context.is_empty() {
                        c.label.clone()
                    } else {
                        format!("{} / {}", c.context, c.label)
                    }
                });
                let mut flags = vec![kind.japanese()];
                if *moved {
                    flags.push("移動");
                }
                if *renumbered {
                    flags.push("番号変更");
                }
                if colour {
                    out.push_str(BOLD);
                }
                out.push_str(&format!(
                    "{} [{}]",
                    path.unwrap_or_default(),
                    flags.join("・")
                ));
                if colour {
                    out.push_str(RESET);
                }
                out.push('\n');
                cell(&mut out, '-', old.as_deref(), NEW_MARK, red);
                cell(&mut out, '+', new.as_deref(), DELETED_MARK, green);
                out.push('\n');
            }
        }
    }
    out
}
