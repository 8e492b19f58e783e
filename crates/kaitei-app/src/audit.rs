//! The audit trail exported: every event a filter selects, oldest first,
//! as CSV. (Listing a page of it, its head and its verification are plain
//! reads of the store.)

use kaitei_store::AuditFilter;

use crate::{App, Result};

impl App {
    /// The events `filter` selects, oldest first, as CSV
    /// ([`kaitei_report::audit_trail::csv`]). One query: one consistent
    /// snapshot, whatever is appended meanwhile.
    pub async fn export_audit(&self, filter: &AuditFilter) -> Result<Vec<u8>> {
        let mut events = self.store.audit_events(filter, i64::MAX, 0).await?;
        events.reverse();
        Ok(kaitei_report::audit_trail::csv(&events))
    }
}
