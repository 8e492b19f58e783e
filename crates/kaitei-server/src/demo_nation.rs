//! `kaitei demo --national`: the demo with a whole nation beside its own
//! bodies, so that the ministry's and the prefectures' pages show what
//! they show in production. Every other local government gets a policy
//! from the nation generator (`synth::nation`, the one the benchmarks and
//! the consultation demo use), following the older or the newer stored
//! edition; some have made theirs public, a few have none registered yet.
//!
//! Generation runs on blocking threads (every core) while the store takes
//! what is ready in batches, one transaction each: a commit per policy
//! would cost more than making it.

use std::sync::Arc;

use kaitei_app::App;
use kaitei_compare::synth::nation;
use kaitei_model::{Body, BodyCode, Document, DocumentKind, EditionName, registry};
use kaitei_store::DocumentRef;

/// How one body stands in the generated nation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No policy registered yet.
    Unregistered,
    /// A policy following the older edition.
    Older {
        /// Made public.
        public: bool,
    },
    /// A policy following the newer (latest) edition.
    Newer {
        /// Made public.
        public: bool,
    },
}

/// Which of the shares below a body falls in: the same for a code in
/// every run (a hash of the code, not a random draw).
fn share(code: BodyCode, salt: u64) -> u64 {
    let n: u64 = code.to_string().parse().unwrap_or(0);
    let mut x = n ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // splitmix64's finaliser: neighbouring codes land far apart.
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (x ^ (x >> 31)) % 100
}

/// A body's standing: about 6 % not registered, 45 % following the newer
/// edition, the rest the older one; prefectures and designated cities
/// revise sooner, as they do; a little over half public.
pub fn standing(body: &Body) -> Standing {
    let public = share(body.code, 2) < 55;
    let registered = share(body.code, 1) >= 6;
    let newer_share = match body.kind {
        kaitei_model::BodyKind::Prefecture => 75,
        kaitei_model::BodyKind::City | kaitei_model::BodyKind::SpecialWard => 50,
        _ => 40,
    };
    match (registered, share(body.code, 3) < newer_share) {
        (false, _) => Standing::Unregistered,
        (true, true) => Standing::Newer { public },
        (true, false) => Standing::Older { public },
    }
}

/// What [`seed_nation`] stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nation {
    /// Policies stored.
    pub policies: usize,
    /// Of those, following the newer edition.
    pub newer: usize,
    /// Of those, public.
    pub public: usize,
    /// Bodies left without a policy.
    pub unregistered: usize,
}

/// The policy edition name of a body following guideline edition `g`:
/// the fiscal year of its revision.
const OLDER_NAME: &str = "令和6年度版";
const NEWER_NAME: &str = "令和7年度版";

/// Policies stored per transaction.
const BATCH: usize = 60;

/// Fills `app`'s store with a policy for each of `bodies` that has none
/// yet, following `older` or `newer` (stored guideline editions, by name)
/// as [`standing`] says. `progress` is told the count stored so far and
/// the count to store.
pub async fn seed_nation(
    app: &App,
    (older, newer): (&str, &str),
    bodies: &[Body],
    progress: impl Fn(usize, usize),
) -> Result<Nation, kaitei_app::Error> {
    let store = app.store();
    let edition = |name: &str| {
        let name = name.to_string();
        async move {
            let parsed = EditionName::parse(&name)
                .map_err(|_| kaitei_app::Error::Invalid(format!("{name:?} is no edition name")))?;
            store
                .get(&DocumentRef::Edition(parsed))
                .await?
                .ok_or_else(|| {
                    kaitei_app::Error::NotFound(format!("guideline edition {name} is not stored"))
                })
        }
    };
    // The stored editions, whose keys the import carried from one to the
    // next: policies must cite those.
    let (older, newer) = (
        Arc::new(edition(older).await?),
        Arc::new(edition(newer).await?),
    );
    let have: std::collections::HashSet<BodyCode> = store
        .current_policies(kaitei_store::PolicyScope::Latest)
        .await?
        .into_iter()
        .map(|p| p.body)
        .collect();
    let mut plan: [Vec<Body>; 2] = [Vec::new(), Vec::new()];
    let mut out = Nation::default();
    for body in bodies {
        if have.contains(&body.code) {
            continue;
        }
        match standing(body) {
            Standing::Unregistered => out.unregistered += 1,
            Standing::Older { .. } => plan[0].push(body.clone()),
            Standing::Newer { .. } => plan[1].push(body.clone()),
        }
    }
    let total = plan[0].len() + plan[1].len();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Document, String>>(BATCH * 2);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut handles = Vec::new();
    for (bodies, guideline, name) in [
        (&plan[0], &older, OLDER_NAME),
        (&plan[1], &newer, NEWER_NAME),
    ] {
        let per = bodies.len().div_ceil(workers).max(1);
        for part in bodies.chunks(per) {
            let (part, guideline, tx) = (part.to_vec(), guideline.clone(), tx.clone());
            handles.push(tokio::task::spawn_blocking(move || {
                for (body, made) in nation::policies(&guideline, &part, name, 7) {
                    let made =
                        made.map_err(|missing| format!("{}: no value for {missing:?}", body.code));
                    if tx.blocking_send(made).is_err() {
                        return;
                    }
                }
            }));
        }
    }
    drop(tx);
    let mut batch = Vec::with_capacity(BATCH);
    let mut stored = 0;
    while let Some(made) = rx.recv().await {
        let doc = made.map_err(kaitei_app::Error::Internal)?;
        debug_assert_eq!(doc.meta.kind, DocumentKind::Policy);
        let public = doc
            .meta
            .body
            .and_then(|b| registry().get(b))
            .is_some_and(|b| {
                matches!(
                    standing(b),
                    Standing::Older { public: true } | Standing::Newer { public: true }
                )
            });
        out.public += usize::from(public);
        out.newer += usize::from(doc.meta.edition == NEWER_NAME);
        batch.push((doc, public));
        if batch.len() == BATCH {
            store.import_many(&batch).await?;
            stored += batch.len();
            batch.clear();
            progress(stored, total);
        }
    }
    if !batch.is_empty() {
        store.import_many(&batch).await?;
        stored += batch.len();
        progress(stored, total);
    }
    for h in handles {
        h.await
            .map_err(|e| kaitei_app::Error::Internal(format!("a generator stopped: {e}")))?;
    }
    out.policies = stored;
    Ok(out)
}
