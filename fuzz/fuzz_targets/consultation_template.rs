//! The consultation answer template reader (`read_identity`, then
//! `read_template` against the clauses of a small subject), on an .xlsx
//! file's bytes or on a bundle of its XML parts (see the crate's
//! documentation). Oracle (`kaitei_fuzz::consultation_template`): no panic,
//! hang or memory blow-up, every error says something.

#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // The reader catches a panic of the workbook crate by design (the file
    // is refused), but libFuzzer's hook aborts on any panic, caught or not.
    // This one prints a line and lets the reader's `catch_unwind` work as
    // in kaitei; a panic that escapes the reader is still a crash.
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    });
    kaitei_fuzz::consultation_template(data);
});
