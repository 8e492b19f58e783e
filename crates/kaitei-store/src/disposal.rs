//! Each body's register of equipment disposal and data erasure (topic ②,
//! migration 0015): its items keyed by 管理番号, the files attached to them
//! (stored once by their SHA-256), and the ministry's rule table.

use kaitei_model::{BodyCode, Date};
use kaitei_records::register::{
    Certificate, Classification, Evidence, Handling, Item, Media, Method, Ownership, Performer,
};
use kaitei_records::rules::RuleTable;
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::audit::{Change, digest};
use crate::{Store, StoreError};

/// The largest attachment stored.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// What an attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// An erasure certificate (消去証明書).
    Certificate,
    /// A photo of the erasure or destruction.
    Photo,
}

impl AttachmentKind {
    /// Its identifier.
    pub fn id(self) -> &'static str {
        match self {
            AttachmentKind::Certificate => "certificate",
            AttachmentKind::Photo => "photo",
        }
    }

    /// The kind of identifier `id`.
    pub fn from_id(id: &str) -> Option<AttachmentKind> {
        match id {
            "certificate" => Some(AttachmentKind::Certificate),
            "photo" => Some(AttachmentKind::Photo),
            _ => None,
        }
    }
}

/// A file attached to an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its id.
    pub id: i64,
    /// The item's 管理番号.
    pub number: String,
    /// What it is.
    pub kind: AttachmentKind,
    /// Its file name as uploaded.
    pub file_name: String,
    /// SHA-256 of its bytes (64 hex digits).
    pub sha256: String,
    /// Its size in bytes.
    pub size: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When (a stamp).
    pub uploaded_at: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    /// Items added.
    pub added: usize,
    /// Items changed.
    pub updated: usize,
    /// Items already as the file has them.
    pub unchanged: usize,
}

const ITEM_COLUMNS: &str = "number, equipment, media, ownership, classification, handling, handled_on, method, \
     self_encrypting, performer, contractor, witness, evidence, certificate";

fn opt<T>(
    id: Option<String>,
    parse: fn(&str) -> Option<T>,
    what: &str,
) -> Result<Option<T>, StoreError> {
    id.map(|s| parse(&s).ok_or_else(|| StoreError::Corrupt(format!("{what} {s:?}"))))
        .transpose()
}

fn item_of(r: &sqlx::any::AnyRow) -> Result<Item, StoreError> {
    let sed: Option<i64> = r.try_get("self_encrypting")?;
    let handled_on: Option<String> = r.try_get("handled_on")?;
    let certificate: Option<String> = r.try_get("certificate")?;
    Ok(Item {
        number: r.try_get("number")?,
        equipment: r.try_get("equipment")?,
        media: opt(r.try_get("media")?, Media::from_id, "media")?,
        ownership: opt(r.try_get("ownership")?, Ownership::from_id, "ownership")?,
        classification: opt(
            r.try_get("classification")?,
            Classification::from_id,
            "classification",
        )?,
        handling: opt(r.try_get("handling")?, Handling::from_id, "handling")?,
        handled_on: opt(handled_on, Date::parse_iso, "date")?,
        method: opt(r.try_get("method")?, Method::from_id, "method")?,
        self_encrypting: sed.map(|v| v != 0),
        performer: opt(r.try_get("performer")?, Performer::from_id, "performer")?,
        contractor: r.try_get("contractor")?,
        witness: r.try_get("witness")?,
        evidence: opt(r.try_get("evidence")?, Evidence::from_id, "evidence")?,
        certificate: certificate.map(|c| Certificate::read(&c)),
    })
}

/// An item as text, for the audit trail's digests.
fn state_of(item: &Item) -> String {
    item.cells().join("\u{1f}")
}

/// Binds an item's fourteen columns (in [`ITEM_COLUMNS`]' order).
fn bind_item<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    item: &Item,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(item.number.clone())
        .bind(item.equipment.clone())
        .bind(item.media.map(|v| v.id()))
        .bind(item.ownership.map(|v| v.id()))
        .bind(item.classification.map(|v| v.id()))
        .bind(item.handling.map(|v| v.id()))
        .bind(item.handled_on.map(|d| d.to_string()))
        .bind(item.method.map(|v| v.id()))
        .bind(item.self_encrypting.map(i64::from))
        .bind(item.performer.map(|v| v.id()))
        .bind(item.contractor.clone())
        .bind(item.witness.clone())
        .bind(item.evidence.map(|v| v.id()))
        .bind(item.certificate.as_ref().map(|c| c.word().to_string()))
}

/// Checks an attached file: 1 to [`MAX_ATTACHMENT_BYTES`] bytes, a name of
/// 1 to 200 characters without control characters; its name trimmed.
pub(crate) fn check_file<'a>(file_name: &'a str, bytes: &[u8]) -> Result<&'a str, StoreError> {
    if bytes.is_empty() || bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(StoreError::Invalid(format!(
            "an attachment is 1 to {MAX_ATTACHMENT_BYTES} bytes"
        )));
    }
    let name = file_name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "a file name of 1 to 200 characters".into(),
        ));
    }
    Ok(name)
}

/// Stores `bytes` once by their SHA-256 `sha` (in the caller's transaction).
pub(crate) async fn put_content(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    sha: &str,
    bytes: &[u8],
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO attachment_contents (sha256, size, content) VALUES ($1, $2, $3) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(sha)
    .bind(bytes.len() as i64)
    .bind(bytes.to_vec())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The bytes of SHA-256 `sha` (of attachment `id`), checked against it.
    pub(crate) async fn content(&self, sha: &str, id: i64) -> Result<Vec<u8>, StoreError> {
        let (bytes,): (Vec<u8>,) =
            sqlx::query_as("SELECT content FROM attachment_contents WHERE sha256 = $1")
                .bind(sha)
                .fetch_one(&self.pool)
                .await?;
        if digest(&bytes) != sha {
            return Err(StoreError::Corrupt(format!(
                "attachment {id}: its bytes do not match their SHA-256"
            )));
        }
        Ok(bytes)
    }

    /// The register of `body`, in its order.
    pub async fn disposal_items(&self, body: BodyCode) -> Result<Vec<Item>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {ITEM_COLUMNS} FROM disposal_items WHERE body_code = $1 ORDER BY position, number"
        ))
        .bind(body.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(item_of).collect()
    }

    /// Every body's register, by body, for the national counts.
    pub async fn all_disposal_items(&self) -> Result<Vec<(BodyCode, Item)>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT body_code, {ITEM_COLUMNS} FROM disposal_items ORDER BY body_code, position, number"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let code: String = r.try_get("body_code")?;
                let code = BodyCode::parse(&code)
                    .map_err(|_| StoreError::Corrupt(format!("body code {code:?}")))?;
                Ok((code, item_of(r)?))
            })
            .collect()
    }

    /// Stores `items` (checked by the caller: every 管理番号 present and
    /// once) in `body`'s register, all or nothing: an item whose 管理番号
    /// is stored is updated, a new one added after the others; items not
    /// in `items` stay.
    pub async fn import_disposal(
        &self,
        body: BodyCode,
        items: &[Item],
        by: &str,
    ) -> Result<Imported, StoreError> {
        if let Some(i) = items.iter().position(|i| i.number.trim().is_empty()) {
            return Err(StoreError::Invalid(format!(
                "item {} has no 管理番号",
                i + 1
            )));
        }
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let stored = sqlx::query(&format!(
                "SELECT {ITEM_COLUMNS}, position FROM disposal_items WHERE body_code = $1"
            ))
            .bind(body.to_string())
            .fetch_all(&mut *tx)
            .await?;
            let mut before = std::collections::HashMap::new();
            let mut next = 0i64;
            for r in &stored {
                let item = item_of(r)?;
                next = next.max(r.try_get::<i64, _>("position")? + 1);
                before.insert(item.number.clone(), item);
            }
            let mut done = Imported::default();
            let stamp = now_stamp();
            for item in items {
                match before.get(&item.number) {
                    Some(old) if old == item => done.unchanged += 1,
                    Some(_) => {
                        Store::update_item(&mut tx, body, item, by, &stamp).await?;
                        done.updated += 1;
                    }
                    None => {
                        let q = sqlx::query(
                            "INSERT INTO disposal_items (body_code, position, updated_by, updated_at, number, equipment, media, \
                             ownership, classification, handling, handled_on, method, self_encrypting, performer, \
                             contractor, witness, evidence, certificate) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
                        )
                        .bind(body.to_string())
                        .bind(next)
                        .bind(by)
                        .bind(stamp.clone());
                        bind_item(q, item).execute(&mut *tx).await?;
                        next += 1;
                        done.added += 1;
                    }
                }
            }
            let after: Vec<String> = items.iter().map(state_of).collect();
            let change = Change::new("disposal.import", body.to_string())
                .body(Some(body))
                .after(after.join("\n"));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(done)
        })
        .await
    }

    async fn update_item(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        body: BodyCode,
        item: &Item,
        by: &str,
        stamp: &str,
    ) -> Result<bool, StoreError> {
        let q = sqlx::query(
            "UPDATE disposal_items SET updated_by = $1, updated_at = $2, number = $3, equipment = $4, media = $5, \
             ownership = $6, classification = $7, handling = $8, handled_on = $9, method = $10, \
             self_encrypting = $11, performer = $12, contractor = $13, witness = $14, evidence = $15, \
             certificate = $16 WHERE body_code = $17 AND number = $3",
        )
        .bind(by.to_string())
        .bind(stamp.to_string());
        let done = bind_item(q, item)
            .bind(body.to_string())
            .execute(&mut **tx)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Changes the item of `item`'s 管理番号 in `body`'s register.
    /// Refused ([`StoreError::Invalid`]) when there is none.
    pub async fn save_disposal_item(
        &self,
        body: BodyCode,
        item: &Item,
        by: &str,
    ) -> Result<(), StoreError> {
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let old = sqlx::query(&self.locking(&format!(
                "SELECT {ITEM_COLUMNS} FROM disposal_items WHERE body_code = $1 AND number = $2"
            )))
            .bind(body.to_string())
            .bind(&item.number)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no item {:?}", item.number)))?;
            let old = item_of(&old)?;
            Store::update_item(&mut tx, body, item, by, &now_stamp()).await?;
            let change = Change::new("disposal.item", body.to_string())
                .about(&item.number)
                .body(Some(body))
                .before(state_of(&old))
                .after(state_of(item));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// Attaches `bytes` as `file_name` to item `number` of `body`'s
    /// register and returns the attachment's id. The bytes are stored once
    /// by their SHA-256. A certificate attached to an item whose
    /// 消去証明書 is なし or empty names it there.
    pub async fn attach(
        &self,
        body: BodyCode,
        number: &str,
        kind: AttachmentKind,
        file_name: &str,
        bytes: &[u8],
        by: &str,
    ) -> Result<i64, StoreError> {
        let name = check_file(file_name, bytes)?;
        let sha = digest(bytes);
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let item = sqlx::query(&self.locking(&format!(
                "SELECT {ITEM_COLUMNS} FROM disposal_items WHERE body_code = $1 AND number = $2"
            )))
            .bind(body.to_string())
            .bind(number)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no item {number:?}")))?;
            let mut item = item_of(&item)?;
            put_content(&mut tx, &sha, bytes).await?;
            let stamp = now_stamp();
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO disposal_attachments (body_code, number, kind, file_name, sha256, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(body.to_string())
            .bind(number)
            .bind(kind.id())
            .bind(name)
            .bind(&sha)
            .bind(by)
            .bind(&stamp)
            .fetch_one(&mut *tx)
            .await?;
            if kind == AttachmentKind::Certificate
                && matches!(item.certificate, None | Some(Certificate::Nothing))
            {
                item.certificate = Some(Certificate::File(name.to_string()));
                Store::update_item(&mut tx, body, &item, by, &stamp).await?;
            }
            let change = Change::new("disposal.attach", body.to_string())
                .about(&format!("{number} {}", kind.id()))
                .body(Some(body))
                .after(&sha);
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(id)
        })
        .await
    }

    /// The files attached to `body`'s items, by item then upload.
    pub async fn disposal_attachments(
        &self,
        body: BodyCode,
    ) -> Result<Vec<Attachment>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.number, a.kind, a.file_name, a.sha256, c.size, a.uploaded_by, a.uploaded_at \
             FROM disposal_attachments a JOIN attachment_contents c ON c.sha256 = a.sha256 \
             WHERE a.body_code = $1 ORDER BY a.number, a.id",
        )
        .bind(body.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(Attachment {
                    id: r.try_get("id")?,
                    number: r.try_get("number")?,
                    kind: AttachmentKind::from_id(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("attachment kind {kind:?}")))?,
                    file_name: r.try_get("file_name")?,
                    sha256: r.try_get("sha256")?,
                    size: r.try_get("size")?,
                    uploaded_by: r.try_get("uploaded_by")?,
                    uploaded_at: r.try_get("uploaded_at")?,
                })
            })
            .collect()
    }

    /// Attachment `id` of `body`'s register, with its bytes (checked
    /// against their SHA-256); `None` when `body` has none of that id.
    pub async fn attachment(
        &self,
        body: BodyCode,
        id: i64,
    ) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let Some(a) = self
            .disposal_attachments(body)
            .await?
            .into_iter()
            .find(|a| a.id == id)
        else {
            return Ok(None);
        };
        let bytes = self.content(&a.sha256, id).await?;
        Ok(Some((a, bytes)))
    }

    /// The rule table every register is checked against: the ministry's,
    /// else the built-in one.
    pub async fn disposal_rules(&self) -> Result<RuleTable, StoreError> {
        let rows = sqlx::query("SELECT classification, minimum FROM disposal_rules")
            .fetch_all(&self.pool)
            .await?;
        let mut table = RuleTable::default();
        for r in &rows {
            let c: String = r.try_get("classification")?;
            let m: String = r.try_get("minimum")?;
            let (Some(c), Some(m)) = (Classification::from_id(&c), Method::from_id(&m)) else {
                return Err(StoreError::Corrupt(format!("rule {c:?} = {m:?}")));
            };
            table = table.with(c, m);
        }
        Ok(table)
    }

    /// Stores the ministry's rule table.
    pub async fn set_disposal_rules(&self, table: &RuleTable, by: &str) -> Result<(), StoreError> {
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let before = self.disposal_rules().await?;
            sqlx::query("DELETE FROM disposal_rules")
                .execute(&mut *tx)
                .await?;
            let stamp = now_stamp();
            for (c, m) in table.entries() {
                sqlx::query(
                    "INSERT INTO disposal_rules (classification, minimum, updated_by, updated_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(c.id())
                .bind(m.id())
                .bind(by)
                .bind(&stamp)
                .execute(&mut *tx)
                .await?;
            }
            let change = Change::new("disposal.rules", "rule table")
                .before(before.print())
                .after(table.print());
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }
}
