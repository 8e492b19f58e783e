//! A policy's nodes as a national run reads them: one packed value per
//! policy (see [`Store::each_outline`](crate::Store::each_outline)), each
//! node its place, its shape's row id and its parent's place.
//!
//! SQLite packs them as text, `ord,shape,parent;…` (its `group_concat`
//! is cheap, and a blob could not be joined there); PostgreSQL as binary,
//! sixteen bytes a node (turning the numbers into text was most of its
//! work).

use std::collections::HashMap;

/// One packed node: its place, its shape's row id, its parent's place.
pub(crate) type Record = (i64, i64, Option<usize>);

/// The records of SQLite's text; a record that cannot be read is the error.
pub(crate) fn text_records(recs: &str) -> impl Iterator<Item = Result<Record, String>> + '_ {
    recs.split(';').map(|rec| {
        (|| {
            let mut fields = rec.splitn(3, ',');
            let ord: i64 = fields.next()?.parse().ok()?;
            let shape: i64 = fields.next()?.parse().ok()?;
            let parent = match fields.next()? {
                "" => None,
                p => Some(p.parse().ok()?),
            };
            Some((ord, shape, parent))
        })()
        .ok_or_else(|| format!("{rec:?}"))
    })
}

/// The records of PostgreSQL's binary: per node two big-endian `int8`s,
/// the place × 2³² + the shape's row id, then the parent's place (−1 for
/// none). A place from 2³¹ on overflows the product, and PostgreSQL
/// refuses the query rather than wrapping it; a shape's row id from 2³²
/// on would be misread (as the next place and another shape, most likely
/// unknown and so an error) — identities of node shapes, one per distinct
/// clause form, stay far below either.
pub(crate) fn binary_records(recs: &[u8]) -> impl Iterator<Item = Result<Record, String>> + '_ {
    const SIZE: usize = 16;
    let whole = recs.len() / SIZE * SIZE;
    let trailing = (whole < recs.len()).then(|| {
        Err(format!(
            "{} bytes after the last whole node",
            recs.len() - whole
        ))
    });
    recs[..whole]
        .chunks_exact(SIZE)
        .map(|c| {
            let word = |i: usize| {
                let mut b = [0u8; 8];
                b.copy_from_slice(&c[i..i + 8]);
                i64::from_be_bytes(b)
            };
            let (first, parent) = (word(0), word(8));
            let parent = match parent {
                -1 => None,
                p => Some(usize::try_from(p).map_err(|_| format!("parent place {p}"))?),
            };
            Ok((first >> 32, first & 0xFFFF_FFFF, parent))
        })
        .chain(trailing)
}

/// A policy's outline from its records: each node's shape slot (its place
/// in `places`) and parent, in order of place whatever order the records
/// came in — SQL does not promise an aggregate's input order.
pub(crate) fn outline_nodes(
    records: impl Iterator<Item = Result<Record, String>>,
    places: &HashMap<i64, u32>,
) -> Result<Vec<(u32, Option<usize>)>, String> {
    let mut nodes = Vec::new();
    let mut in_order = true;
    let mut last = i64::MIN;
    for record in records {
        let (ord, shape, parent) = record?;
        let slot = *places
            .get(&shape)
            .ok_or_else(|| format!("{ord}: no node shape {shape}"))?;
        in_order &= ord > last;
        last = ord;
        nodes.push((ord, slot, parent));
    }
    if !in_order {
        nodes.sort_unstable_by_key(|n| n.0);
    }
    Ok(nodes
        .into_iter()
        .map(|(_, slot, parent)| (slot, parent))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binary(records: &[(i64, i64, i64)]) -> Vec<u8> {
        records
            .iter()
            .flat_map(|&(ord, shape, parent)| {
                let mut b = (ord * 4_294_967_296 + shape).to_be_bytes().to_vec();
                b.extend(parent.to_be_bytes());
                b
            })
            .collect()
    }

    #[test]
    fn packed_nodes_are_read_in_order_of_place_whatever_order_they_came_in() {
        let places = [(10, 0), (11, 1), (12, 2)].into_iter().collect();
        let want = vec![(0, None), (1, Some(0)), (2, Some(1))];
        let text = |s| outline_nodes(text_records(s), &places);
        assert_eq!(text("0,10,;1,11,0;2,12,1"), Ok(want.clone()));
        assert_eq!(text("2,12,1;0,10,;1,11,0"), Ok(want.clone()));
        assert_eq!(
            text("0,10,;1,99,0"),
            Err("1: no node shape 99".into()),
            "an unknown shape"
        );
        assert_eq!(text("0,10"), Err("\"0,10\"".into()));
        assert_eq!(text("x,10,"), Err("\"x,10,\"".into()));
        let bin = |r: &[u8]| outline_nodes(binary_records(r), &places);
        assert_eq!(
            bin(&binary(&[(0, 10, -1), (1, 11, 0), (2, 12, 1)])),
            Ok(want.clone())
        );
        assert_eq!(
            bin(&binary(&[(2, 12, 1), (0, 10, -1), (1, 11, 0)])),
            Ok(want)
        );
        assert_eq!(
            bin(&binary(&[(0, 10, -1), (1, 99, 0)])),
            Err("1: no node shape 99".into())
        );
        let mut cut = binary(&[(0, 10, -1)]);
        cut.push(0);
        assert_eq!(bin(&cut), Err("1 bytes after the last whole node".into()));
        assert_eq!(bin(&binary(&[(0, 10, -2)])), Err("parent place -2".into()));
    }
}
