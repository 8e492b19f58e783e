//! The label parser (`kaitei_model::label`): `split_label` and
//! `Label::parse` in each context, then `canonical` and `to_iroha` on
//! what they read. The first byte picks the context. Oracle: no panic; a
//! label split from a line is a prefix of it and reads alone as the same
//! label (and `parse` reads a label followed by white space
//! only); its canonical spelling reads back as the same style and value.

#![no_main]

use kaitei_model::label::{Label, LabelContext, LabelStyle, split_label};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(s) = std::str::from_utf8(rest) else {
        return;
    };
    let context = match first % 3 {
        0 => LabelContext::Heading,
        1 => LabelContext::Item,
        _ => LabelContext::InArticle,
    };
    if let Some((label, after)) = split_label(s, context) {
        assert!(s.starts_with(label.written()), "{label:?} from {s:?}");
        assert!(s.ends_with(after), "{after:?} after {label:?} from {s:?}");
        let alone = Label::parse(label.written(), context).expect("a label reads alone");
        assert_eq!(
            (alone.style(), alone.value()),
            (label.style(), label.value()),
            "{s:?}"
        );
        if let Some(canonical) = Label::canonical(label.style(), label.value()) {
            let again = Label::parse(canonical.written(), context)
                .or_else(|| Label::parse(canonical.written(), LabelContext::InArticle))
                .or_else(|| Label::parse(canonical.written(), LabelContext::Heading));
            let again = again.unwrap_or_else(|| {
                panic!("canonical {:?} of {s:?} is no label", canonical.written())
            });
            assert_eq!(
                (again.style(), again.value()),
                (label.style(), label.value()),
                "canonical {:?} of {s:?}",
                canonical.written()
            );
        }
        let iroha = label.to_iroha();
        if label.style() == LabelStyle::Katakana {
            let _ = Label::canonical(iroha.style(), iroha.value());
        }
        let _ = label.is_katakana_i();
    }
    let whole = Label::parse(s, context);
    if let Some(l) = &whole {
        // The whole of `s`: the label, then at most white space.
        let after = s.strip_prefix(l.written()).expect("the label starts `s`");
        assert!(after.chars().all(char::is_whitespace), "{l:?} from {s:?}");
    }
});
