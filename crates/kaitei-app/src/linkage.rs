//! Data linkage without removable media (topic ①), for both front ends:
//! the ministry's catalogue and matrix, and the national picture of every
//! body's uses and residual ratings.

use std::collections::BTreeMap;

use kaitei_model::{BodyKind, registry};
use kaitei_records::linkage::{Catalogue, RiskMatrix};
use kaitei_records::linkage_ratings::{National, Use, national};

use crate::{App, Result};

/// The national picture with what it was counted against.
#[derive(Debug, Clone)]
pub struct Picture {
    /// The ministry's catalogue.
    pub catalogue: Catalogue,
    /// The ministry's matrix.
    pub matrix: RiskMatrix,
    /// The counts.
    pub national: National,
}

impl App {
    /// The national picture of every body that recorded its uses.
    pub async fn linkage_national(&self) -> Result<Picture> {
        let catalogue = self.store.linkage_catalogue().await?;
        let matrix = self.store.risk_matrix().await?;
        let all = self.store.all_linkage_uses().await?;
        let reg = registry();
        let bodies: Vec<(&kaitei_model::Body, &[Use])> = all
            .iter()
            .filter_map(|(code, uses)| reg.get(*code).map(|b| (b, uses.as_slice())))
            .collect();
        let prefectures: BTreeMap<_, _> = reg
            .all()
            .iter()
            .filter(|b| b.kind == BodyKind::Prefecture)
            .map(|b| (b.code, b.name.clone()))
            .collect();
        let national = national(&bodies, &prefectures, &catalogue, &matrix);
        Ok(Picture {
            catalogue,
            matrix,
            national,
        })
    }
}
