//! SQL text shared by both backends.

/// `{head} VALUES ($1, $2), ($3, $4) … {tail}` for `rows` rows of `columns`
/// values. Numbered placeholders are what both SQLite and PostgreSQL accept;
/// sqlx's `QueryBuilder` writes `?` for `Any`, which PostgreSQL refuses.
pub(crate) fn insert_values(head: &str, columns: usize, rows: usize, tail: &str) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * columns * 6);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", r * columns + c + 1));
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// `{head} ($first, $first+1, …)`: an `IN` list of `n` numbered
/// placeholders starting at `first` (n ≥ 1).
pub(crate) fn in_list(head: &str, first: usize, n: usize) -> String {
    let list: Vec<String> = (first..first + n.max(1)).map(|i| format!("${i}")).collect();
    format!("{head} ({})", list.join(", "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_row_by_row() {
        assert_eq!(
            super::insert_values("INSERT INTO t (a, b)", 2, 2, " ON CONFLICT DO NOTHING"),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING"
        );
    }
}
