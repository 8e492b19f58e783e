//! A body's record of data linkage (topic ①): which patterns it uses
//! between which segments, and its rating of each scenario's likelihood and
//! impact before and after its controls; its heat map; and the ministry's
//! national picture — how many bodies use each pattern on each route, by
//! prefecture and by kind of body, and how many residual ratings fall on
//! each level per pattern and scenario (counts, never an average).

use std::collections::{BTreeMap, HashSet};

use kaitei_model::{Body, BodyCode, BodyKind};

use crate::linkage::{Catalogue, RiskMatrix, Route, Score};
use crate::organs::is_designated_city;

/// A likelihood × impact rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rating {
    /// How likely: 1 to 5.
    pub likelihood: Score,
    /// How much harm: 1 to 5.
    pub impact: Score,
}

impl Rating {
    /// The rating, when both are 1 to 5.
    pub fn new(likelihood: Score, impact: Score) -> Option<Rating> {
        ((1..=5).contains(&likelihood) && (1..=5).contains(&impact))
            .then_some(Rating { likelihood, impact })
    }
}

/// A body's rating of one scenario on one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioRating {
    /// The scenario's identifier in its pattern.
    pub scenario: String,
    /// Before the body's controls (inherent).
    pub before: Option<Rating>,
    /// After them (residual).
    pub after: Option<Rating>,
}

/// One pattern a body uses on one route, with its ratings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The pattern's identifier.
    pub pattern: String,
    /// Which way.
    pub route: Route,
    /// Its ratings, by scenario.
    pub ratings: Vec<ScenarioRating>,
}

impl Use {
    /// The rating of `scenario`, if any.
    pub fn rating(&self, scenario: &str) -> Option<&ScenarioRating> {
        self.ratings.iter().find(|r| r.scenario == scenario)
    }
}

/// Checks a body's uses against the catalogue: each pattern known and
/// each pattern × route once, each rated scenario the pattern's and rated
/// once. The error says which, in Japanese.
pub fn check_uses(uses: &[Use], catalogue: &Catalogue) -> Result<(), String> {
    let mut seen = HashSet::new();
    for u in uses {
        let p = catalogue
            .pattern(&u.pattern)
            .ok_or_else(|| format!("パターン「{}」は一覧にありません", u.pattern))?;
        if !seen.insert((&u.pattern, u.route)) {
            return Err(format!(
                "{}（{}）が二度あります",
                p.name,
                u.route.japanese()
            ));
        }
        let mut rated = HashSet::new();
        for r in &u.ratings {
            if p.scenario(&r.scenario).is_none() {
                return Err(format!(
                    "{} にシナリオ「{}」はありません",
                    p.name, r.scenario
                ));
            }
            if !rated.insert(&r.scenario) {
                return Err(format!(
                    "{} のシナリオ「{}」が二度あります",
                    p.name, r.scenario
                ));
            }
        }
    }
    Ok(())
}

/// How many ratings fall on each likelihood × impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeatMap {
    /// `cells[likelihood - 1][impact - 1]`.
    pub cells: [[usize; 5]; 5],
}

impl HeatMap {
    /// The count at `likelihood` × `impact` (1 to 5 each).
    pub fn at(&self, likelihood: Score, impact: Score) -> usize {
        let (l, i) = (usize::from(likelihood), usize::from(impact));
        if (1..=5).contains(&l) && (1..=5).contains(&i) {
            self.cells[l - 1][i - 1]
        } else {
            0
        }
    }
}

/// The heat map of a body's ratings: before its controls (`residual`
/// false) or after them.
pub fn heat_map(uses: &[Use], residual: bool) -> HeatMap {
    let mut map = HeatMap::default();
    for r in uses.iter().flat_map(|u| &u.ratings) {
        let rating = if residual { r.after } else { r.before };
        if let Some(Rating { likelihood, impact }) = rating {
            map.cells[usize::from(likelihood) - 1][usize::from(impact) - 1] += 1;
        }
    }
    map
}

/// The kinds of body the national picture counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KindOfBody {
    /// 都道府県.
    Prefecture,
    /// 政令指定都市.
    DesignatedCity,
    /// 市 (other than designated cities).
    City,
    /// 町.
    Town,
    /// 村.
    Village,
    /// 特別区.
    Ward,
}

impl KindOfBody {
    /// Every kind, in order.
    pub const ALL: [KindOfBody; 6] = [
        KindOfBody::Prefecture,
        KindOfBody::DesignatedCity,
        KindOfBody::City,
        KindOfBody::Town,
        KindOfBody::Village,
        KindOfBody::Ward,
    ];

    /// The kind of `body`.
    pub fn of(body: &Body) -> KindOfBody {
        match body.kind {
            BodyKind::Prefecture => KindOfBody::Prefecture,
            BodyKind::City if is_designated_city(body.code) => KindOfBody::DesignatedCity,
            BodyKind::City => KindOfBody::City,
            BodyKind::Town => KindOfBody::Town,
            BodyKind::Village => KindOfBody::Village,
            BodyKind::SpecialWard => KindOfBody::Ward,
        }
    }

    /// Its identifier (in the API).
    pub fn id(self) -> &'static str {
        match self {
            KindOfBody::Prefecture => "prefecture",
            KindOfBody::DesignatedCity => "designated_city",
            KindOfBody::City => "city",
            KindOfBody::Town => "town",
            KindOfBody::Village => "village",
            KindOfBody::Ward => "ward",
        }
    }

    /// Its Japanese name.
    pub fn japanese(self) -> &'static str {
        match self {
            KindOfBody::Prefecture => "都道府県",
            KindOfBody::DesignatedCity => "政令指定都市",
            KindOfBody::City => "市",
            KindOfBody::Town => "町",
            KindOfBody::Village => "村",
            KindOfBody::Ward => "特別区",
        }
    }

    fn index(self) -> usize {
        KindOfBody::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }
}

/// A pattern used on a route: a column of the national counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    /// The pattern's identifier.
    pub pattern: String,
    /// The route.
    pub route: Route,
}

/// How many residual ratings of one scenario fall on each level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Residual {
    /// The pattern's identifier.
    pub pattern: String,
    /// The scenario's identifier.
    pub scenario: String,
    /// Per level of the matrix (least severe first).
    pub counts: Vec<usize>,
    /// Uses of the pattern that rate the scenario before their controls
    /// only, or not at all.
    pub unrated: usize,
}

/// The national picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct National {
    /// The bodies that recorded a use.
    pub bodies: usize,
    /// The pattern × route pairs some body uses, in the catalogue's then
    /// the routes' order.
    pub columns: Vec<Column>,
    /// Bodies per column, nationally.
    pub total: Vec<usize>,
    /// Bodies per column, by kind of body ([`KindOfBody::ALL`]' order,
    /// every kind).
    pub by_kind: Vec<(KindOfBody, Vec<usize>)>,
    /// Bodies per column, by prefecture (its own and its
    /// municipalities'), for the prefectures with a body that recorded.
    pub by_prefecture: Vec<(BodyCode, String, Vec<usize>)>,
    /// Residual levels per pattern and scenario, in the catalogue's order.
    pub residual: Vec<Residual>,
}

/// The national picture of `bodies`' uses (prefecture names from
/// `prefectures`), against the catalogue and the matrix. Uses of patterns
/// no longer in the catalogue are left out.
pub fn national(
    bodies: &[(&Body, &[Use])],
    prefectures: &BTreeMap<BodyCode, String>,
    catalogue: &Catalogue,
    matrix: &RiskMatrix,
) -> National {
    let order = |c: &Column| {
        let p = catalogue
            .patterns
            .iter()
            .position(|p| p.id == c.pattern)
            .unwrap_or(usize::MAX);
        (p, c.route)
    };
    let mut columns: Vec<Column> = bodies
        .iter()
        .flat_map(|(_, uses)| uses.iter())
        .filter(|u| catalogue.pattern(&u.pattern).is_some())
        .map(|u| Column {
            pattern: u.pattern.clone(),
            route: u.route,
        })
        .collect();
    columns.sort_by_key(order);
    columns.dedup();
    let width = columns.len();
    let mut total = vec![0; width];
    let mut by_kind: Vec<(KindOfBody, Vec<usize>)> = KindOfBody::ALL
        .iter()
        .map(|k| (*k, vec![0; width]))
        .collect();
    let mut by_prefecture: BTreeMap<BodyCode, Vec<usize>> = BTreeMap::new();
    let mut recorded = 0;
    for (body, uses) in bodies {
        if uses.is_empty() {
            continue;
        }
        recorded += 1;
        let kind = KindOfBody::of(body).index();
        let pref = by_prefecture
            .entry(body.prefecture)
            .or_insert_with(|| vec![0; width]);
        for (i, c) in columns.iter().enumerate() {
            if uses
                .iter()
                .any(|u| u.pattern == c.pattern && u.route == c.route)
            {
                total[i] += 1;
                by_kind[kind].1[i] += 1;
                pref[i] += 1;
            }
        }
    }
    let mut residual = Vec::new();
    for p in &catalogue.patterns {
        for s in &p.scenarios {
            let mut counts = vec![0; matrix.levels().len()];
            let mut unrated = 0;
            for u in bodies.iter().flat_map(|(_, uses)| uses.iter()) {
                if u.pattern != p.id {
                    continue;
                }
                let level = u
                    .rating(&s.id)
                    .and_then(|r| r.after)
                    .and_then(|r| matrix.lookup(r.likelihood, r.impact));
                match level {
                    Some(l) => counts[l] += 1,
                    None => unrated += 1,
                }
            }
            residual.push(Residual {
                pattern: p.id.clone(),
                scenario: s.id.clone(),
                counts,
                unrated,
            });
        }
    }
    National {
        bodies: recorded,
        columns,
        total,
        by_kind,
        by_prefecture: by_prefecture
            .into_iter()
            .map(|(c, v)| (c, prefectures.get(&c).cloned().unwrap_or_default(), v))
            .collect(),
        residual,
    }
}

#[cfg(test)]
#[path = "linkage_tests.rs"]
mod tests;
