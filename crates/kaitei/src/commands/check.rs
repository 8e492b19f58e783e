//! `kaitei check FILE…`

use anyhow::Result;

use crate::Outcome;
use crate::cli::CheckArgs;
use crate::input::{format_diagnostic, read_file};

pub fn exec(args: &CheckArgs) -> Result<Outcome> {
    let mut worst = Outcome::Ok;
    let (mut errors, mut warnings) = (0, 0);
    for path in &args.files {
        let read = match read_file(path, &args.docx) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("kaitei: {e:#}");
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
    let files = args.files.len();
    eprintln!(
        "checked {files} file{}: {errors} error{}, {warnings} warning{}",
        if files == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    Ok(worst)
}
