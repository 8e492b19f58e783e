//! SQL text shared by both backends.

/// `{head} VALUES ($1, $2), ($3, $4) … {tail}` for `rows` rows of `columns`
/// values, for the backend `conn` talks to: PostgreSQL needs numbered
/// placeholders (sqlx's `QueryBuilder` writes `?` for `Any`, which it
/// refuses); SQLite gets plain `?`, bound in the same order, because sqlx
/// looks up the name of every numbered one and SQLite finds a name by a
/// scan of all of them — a cost that grows with the square of the row
/// count, most of a national import's time.
pub(crate) fn insert_values(
    conn: &sqlx::AnyConnection,
    head: &str,
    columns: usize,
    rows: usize,
    tail: &str,
) -> String {
    insert_values_in(conn.backend_name() != "SQLite", head, columns, rows, tail)
}

fn insert_values_in(numbered: bool, head: &str, columns: usize, rows: usize, tail: &str) -> String {
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
            if numbered {
                sql.push_str(&format!("${}", r * columns + c + 1));
            } else {
                sql.push('?');
            }
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
            super::insert_values_in(
                true,
                "INSERT INTO t (a, b)",
                2,
                2,
                " ON CONFLICT DO NOTHING"
            ),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING"
        );
        assert_eq!(
            super::insert_values_in(false, "INSERT INTO t (a, b)", 2, 2, ""),
            "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)"
        );
    }
}
