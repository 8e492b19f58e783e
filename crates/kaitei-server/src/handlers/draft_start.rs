//! Starting a draft on the web (`POST /cycles/{year}/drafts`, multipart):
//! from a stored edition, or from an uploaded file — the next edition's
//! text, or another document put out for opinion — read as
//! `kaitei draft create --file` reads it. A file with errors stores
//! nothing; the cycle's page says where the errors are.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kaitei_app::consultations::DraftSource;
use kaitei_format::ReadOptions;
use kaitei_model::{DocumentKind, EditionName};

use super::cycle::{cycle_view, year_of};
use super::{checked, editor, percent_encode, see_other};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// At most this many of a file's errors are listed on the page.
const ERRORS_SHOWN: usize = 10;

/// The form's fields.
#[derive(Default)]
struct DraftForm {
    csrf: String,
    name: String,
    /// An edition's name; empty: the latest (when no file is given).
    edition: String,
    /// The uploaded file's name and bytes, when one was chosen.
    file: Option<(String, Vec<u8>)>,
}

async fn read_form(mut multipart: Multipart) -> Result<DraftForm, AppError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("unreadable upload: {e}"))
    };
    let mut form = DraftForm::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or_default() {
            "csrf" => form.csrf = field.text().await.map_err(unreadable)?,
            "name" => form.name = field.text().await.map_err(unreadable)?,
            "edition" => form.edition = field.text().await.map_err(unreadable)?,
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(unreadable)?;
                if !bytes.is_empty() {
                    form.file = Some((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    Ok(form)
}

/// `POST /cycles/{year}/drafts`
pub async fn start_draft(
    State(state): State<AppState>,
    session: Session,
    Path(year): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    let form = read_form(multipart).await?;
    session.check_csrf(&form.csrf)?;
    let fiscal = year_of(&year)?;
    let refuse = |message: String| async {
        let page = cycle_view(&state, &session, &year, Some(message)).await?;
        Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let name = checked(form.name.trim())?.to_string();
    let source = match form.file {
        Some((file, bytes)) => {
            let options = ReadOptions {
                kind: Some(DocumentKind::Guideline),
                stem: file.rsplit_once('.').map_or(&*file, |(s, _)| s).to_string(),
                ..ReadOptions::default()
            };
            let read = match kaitei_format::file::read_file_bytes(&file, bytes, &options) {
                Ok(read) => read,
                Err(e) => return refuse(format!("{file}: {e}")).await,
            };
            if read.parsed.has_errors() {
                let errors = read.errors();
                let mut lines: Vec<String> = errors
                    .iter()
                    .take(ERRORS_SHOWN)
                    .map(|d| read.locate(&file, d))
                    .collect();
                if errors.len() > ERRORS_SHOWN {
                    lines.push(tr(
                        session.lang,
                        "ほか{0}件",
                        &[&(errors.len() - ERRORS_SHOWN).to_string()],
                    ));
                }
                let head = tr(
                    session.lang,
                    "ファイルに誤りがあるため、改定案を作成していません。",
                    &[],
                );
                return refuse(format!("{head} {}", lines.join(" / "))).await;
            }
            DraftSource::Document(Box::new(read.parsed.document))
        }
        None if form.edition.trim().is_empty() => DraftSource::Edition(None),
        None => match EditionName::parse(checked(form.edition.trim())?) {
            Ok(e) => DraftSource::Edition(Some(e)),
            Err(e) => return refuse(e.to_string()).await,
        },
    };
    match state
        .app
        .start_draft(fiscal, &name, source, &editor(&session)?)
        .await
    {
        Ok(_) => Ok(see_other(format!("/drafts/{}", percent_encode(&name)))),
        Err(kaitei_app::Error::Invalid(m) | kaitei_app::Error::Stale(m)) => refuse(m).await,
        Err(kaitei_app::Error::Store(kaitei_store::StoreError::Duplicate(m))) => refuse(m).await,
        Err(e) => Err(e.into()),
    }
}
