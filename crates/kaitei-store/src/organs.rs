//! Each body's executive organs and their cybersecurity policy under the
//! amended Local Autonomy Act (topic ③, migration 0015). A body with no
//! row has not recorded its organs; its officer saves the whole list.

use std::collections::HashMap;

use kaitei_model::{BodyCode, Date};
use kaitei_records::organs::{Organ, OrganStatus, check_organ};
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::audit::Change;
use crate::sql::insert_values;
use crate::{Store, StoreError};

/// Rows written by one statement.
const BATCH: usize = 500;

fn organ_of(r: &sqlx::any::AnyRow) -> Result<(String, Organ), StoreError> {
    let status: String = r.try_get("status")?;
    let since: Option<String> = r.try_get("since")?;
    Ok((
        r.try_get("body_code")?,
        Organ {
            name: r.try_get("name")?,
            status: OrganStatus::from_id(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("organ status {status:?}")))?,
            since: since
                .map(|s| {
                    Date::parse_iso(&s).ok_or_else(|| StoreError::Corrupt(format!("date {s:?}")))
                })
                .transpose()?,
            url: r.try_get("url")?,
        },
    ))
}

fn state_of(organs: &[Organ]) -> String {
    organs
        .iter()
        .map(|o| {
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}",
                o.name,
                o.status.id(),
                o.since.map(|d| d.to_string()).unwrap_or_default(),
                o.url
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks a list: each organ, and each name once.
fn check_list(organs: &[Organ]) -> Result<(), StoreError> {
    let mut seen = std::collections::HashSet::new();
    for o in organs {
        check_organ(o).map_err(StoreError::Invalid)?;
        if !seen.insert(o.name.trim()) {
            return Err(StoreError::Invalid(format!(
                "{} is listed twice",
                o.name.trim()
            )));
        }
    }
    Ok(())
}

impl Store {
    /// `body`'s organs in its order; `None` when it has not recorded them.
    pub async fn organs(&self, body: BodyCode) -> Result<Option<Vec<Organ>>, StoreError> {
        let rows = sqlx::query(
            "SELECT body_code, name, status, since, url FROM organs WHERE body_code = $1 ORDER BY position",
        )
        .bind(body.to_string())
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        rows.iter()
            .map(|r| organ_of(r).map(|o| o.1))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// Every body's organs that recorded them.
    pub async fn all_organs(&self) -> Result<HashMap<BodyCode, Vec<Organ>>, StoreError> {
        let rows = sqlx::query(
            "SELECT body_code, name, status, since, url FROM organs ORDER BY body_code, position",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<BodyCode, Vec<Organ>> = HashMap::new();
        for r in &rows {
            let (code, organ) = organ_of(r)?;
            let code = BodyCode::parse(&code)
                .map_err(|_| StoreError::Corrupt(format!("body code {code:?}")))?;
            out.entry(code).or_default().push(organ);
        }
        Ok(out)
    }

    /// Stores `organs` as `body`'s whole list, in their order (refused
    /// when an organ is not valid or named twice).
    pub async fn save_organs(
        &self,
        body: BodyCode,
        organs: &[Organ],
        by: &str,
    ) -> Result<(), StoreError> {
        self.save_organs_of(&[(body, organs.to_vec())], by).await
    }

    /// Stores the lists of several bodies in one transaction (the demo's
    /// nation): one audit event per body.
    pub async fn save_organs_of(
        &self,
        lists: &[(BodyCode, Vec<Organ>)],
        by: &str,
    ) -> Result<(), StoreError> {
        for (_, organs) in lists {
            check_list(organs)?;
        }
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let stamp = now_stamp();
            let mut rows: Vec<(String, i64, &Organ)> = Vec::new();
            for (body, organs) in lists {
                let before = sqlx::query(
                    "SELECT body_code, name, status, since, url FROM organs WHERE body_code = $1 ORDER BY position",
                )
                .bind(body.to_string())
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| organ_of(r).map(|o| o.1))
                .collect::<Result<Vec<_>, _>>()?;
                sqlx::query("DELETE FROM organs WHERE body_code = $1")
                    .bind(body.to_string())
                    .execute(&mut *tx)
                    .await?;
                rows.extend((0i64..).zip(organs).map(|(i, o)| (body.to_string(), i, o)));
                let change = Change::new("organs.save", body.to_string())
                    .body(Some(body))
                    .before(state_of(&before))
                    .after(state_of(organs));
                self.audit(&mut tx, change).await?;
            }
            for chunk in rows.chunks(BATCH) {
                let sql = insert_values(
                    &tx,
                    "INSERT INTO organs (body_code, position, name, status, since, url, updated_by, updated_at)",
                    8,
                    chunk.len(),
                    "",
                );
                let mut q = sqlx::query(&sql);
                for (code, position, o) in chunk {
                    q = q
                        .bind(code.clone())
                        .bind(*position)
                        .bind(o.name.trim().to_string())
                        .bind(o.status.id())
                        .bind(o.since.map(|d| d.to_string()))
                        .bind(o.url.clone())
                        .bind(by.to_string())
                        .bind(stamp.clone());
                }
                q.execute(&mut *tx).await?;
            }
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }
}
