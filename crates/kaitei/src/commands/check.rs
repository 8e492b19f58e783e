//! `kaitei check FILE…`

use anyhow::Result;

use crate::Outcome;
use crate::cli::CheckArgs;
use crate::input::{format_diagnostic, read_file};

pub fn exec(args: &CheckArgs) -> Result<Outcome> {
    let mut worst = Outcome::Ok;
    let (mut unreadable, mut errors, mut warnings) = (0, 0, 0);
    for path in &args.files {
        let read = match read_file(path, &args.docx) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("kaitei: {e:#}");
                unreadable += 1;
                worst = worst.max(Outcome::Failed);
                continue;
            }
        };
        for d in &read.parsed.diagnostics {
            println!("{}", format_diagnostic(path, read.word, d));
            if d.is_error() {
                errors += 1;
                worst = worst.max(Outcome::Problems);
            } else {
                warnings += 1;
            }
        }
    }
    eprintln!(
        "{}",
        summary(args.files.len(), unreadable, errors, warnings)
    );
    Ok(worst)
}

/// The last line of `check`: a file that could not be read is counted, so
/// "0 errors" never reads as a clean bill for a file nobody looked into.
fn summary(files: usize, unreadable: usize, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let unread = if unreadable > 0 {
        format!("{unreadable} could not be read, ")
    } else {
        String::new()
    };
    format!(
        "checked {}: {unread}{}, {}",
        plural(files, "file"),
        plural(errors, "error"),
        plural(warnings, "warning"),
    )
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn the_summary_counts_unreadable_files() {
        assert_eq!(
            summary(1, 1, 0, 0),
            "checked 1 file: 1 could not be read, 0 errors, 0 warnings"
        );
        assert_eq!(summary(3, 0, 1, 2), "checked 3 files: 1 error, 2 warnings");
    }
}
