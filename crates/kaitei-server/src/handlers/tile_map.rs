//! Japan's 47 prefectures as a tile map (タイルグリッドマップ): one square
//! each, placed roughly where the prefecture lies, as Japanese statistical
//! displays draw the nation. Every tile is the same size, so Tokyo and
//! Tottori weigh alike — what a count by prefecture needs.

use serde::Serialize;

/// Each prefecture's tile, by its JIS number (1 北海道 … 47 沖縄): column
/// and row, with the short name written on it.
const TILES: [(u8, u8, &str); 47] = [
    (13, 0, "北海道"),
    (13, 1, "青森"),
    (13, 2, "岩手"),
    (13, 3, "宮城"),
    (12, 2, "秋田"),
    (12, 3, "山形"),
    (13, 4, "福島"),
    (12, 5, "茨城"),
    (12, 4, "栃木"),
    (11, 4, "群馬"),
    (11, 5, "埼玉"),
    (12, 6, "千葉"),
    (11, 6, "東京"),
    (10, 6, "神奈川"),
    (11, 3, "新潟"),
    (10, 3, "富山"),
    (9, 3, "石川"),
    (8, 4, "福井"),
    (10, 5, "山梨"),
    (10, 4, "長野"),
    (9, 4, "岐阜"),
    (9, 6, "静岡"),
    (9, 5, "愛知"),
    (8, 5, "三重"),
    (7, 5, "滋賀"),
    (6, 5, "京都"),
    (5, 6, "大阪"),
    (5, 5, "兵庫"),
    (6, 6, "奈良"),
    (6, 7, "和歌山"),
    (4, 5, "鳥取"),
    (3, 5, "島根"),
    (4, 6, "岡山"),
    (3, 6, "広島"),
    (2, 5, "山口"),
    (4, 8, "徳島"),
    (4, 7, "香川"),
    (3, 7, "愛媛"),
    (3, 8, "高知"),
    (2, 6, "福岡"),
    (1, 6, "佐賀"),
    (0, 6, "長崎"),
    (1, 7, "熊本"),
    (2, 7, "大分"),
    (2, 8, "宮崎"),
    (1, 8, "鹿児島"),
    (0, 10, "沖縄"),
];

/// The map's size in tiles: columns and rows.
pub const GRID: (u8, u8) = (14, 11);

/// One prefecture's tile.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Tile {
    /// Column, from the west.
    pub x: u8,
    /// Row, from the north.
    pub y: u8,
    /// The short name written on it (東京, not 東京都).
    pub short: &'static str,
    /// Share of its bodies following the latest edition, in percent.
    pub percent: u8,
    /// Its shade, 0 (fewest) to 4 (most): by fifths of the share.
    pub shade: u8,
}

/// The tile of the prefecture with body code `code` (`130001`: its first
/// two digits are the JIS number), `following` of its `bodies` on the
/// latest edition; `None` for a code that is no prefecture's.
pub fn tile(code: &str, following: usize, bodies: usize) -> Option<Tile> {
    let jis: usize = code.get(..2)?.parse().ok()?;
    let (x, y, short) = *TILES.get(jis.checked_sub(1)?)?;
    let percent = (following * 100).checked_div(bodies).unwrap_or(0).min(100) as u8;
    Some(Tile {
        x,
        y,
        short,
        percent,
        shade: (percent / 20).min(4),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_prefecture_has_a_tile_of_its_own_inside_the_grid() {
        let mut seen = HashSet::new();
        for (x, y, short) in TILES {
            assert!(x < GRID.0 && y < GRID.1, "{short}");
            assert!(seen.insert((x, y)), "{short} shares its tile");
        }
        let prefectures: Vec<_> = kaitei_model::registry()
            .all()
            .iter()
            .filter(|b| b.kind == kaitei_model::BodyKind::Prefecture)
            .collect();
        assert_eq!(prefectures.len(), 47);
        for p in prefectures {
            let t = tile(&p.code.to_string(), 0, 1).expect("a tile");
            assert!(p.name.starts_with(t.short), "{} is not {}", p.name, t.short);
        }
    }

    #[test]
    fn the_shade_goes_by_fifths_of_the_share() {
        let shade = |n, of| tile("030007", n, of).map(|t| (t.percent, t.shade));
        assert_eq!(shade(0, 33), Some((0, 0)));
        assert_eq!(shade(6, 33), Some((18, 0)));
        assert_eq!(shade(7, 33), Some((21, 1)));
        assert_eq!(shade(33, 33), Some((100, 4)));
        assert_eq!(shade(0, 0), Some((0, 0)), "no bodies: no share");
        assert_eq!(tile("480000", 1, 1), None);
        assert_eq!(tile("000000", 1, 1), None);
    }
}
