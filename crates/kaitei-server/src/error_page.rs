//! Errors as a browser sees them: an error answer is plain text (the API's
//! form, made before anyone knows who asks or in which language), so for a
//! browser asking for a page it is wrapped in a small HTML page with the
//! same words and a way back.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Longest error text wrapped (error texts are short; anything longer is
/// passed through as it is).
const MAX_ERROR_TEXT: usize = 16 * 1024;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page around an error text.
fn page(text: &str) -> String {
    let text = escape(text);
    format!(
        "<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{text} — kaitei</title>\n</head>\n\
         <body style=\"font-family: sans-serif; margin: 2rem; line-height: 1.7\">\n\
         <main>\n<h1 style=\"font-size: 1.3rem\">{text}</h1>\n\
         <p><a href=\"/\">kaitei（トップへ／home）</a></p>\n</main>\n</body>\n</html>\n"
    )
}

/// Wraps plain-text error answers to browsers' page requests in HTML.
pub async fn html_errors(request: Request, next: Next) -> Response {
    let wants_page = !request.uri().path().starts_with("/api/")
        && !request.headers().contains_key("hx-request")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    let response = next.run(request).await;
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if !wants_page
        || !plain
        || !(response.status().is_client_error() || response.status().is_server_error())
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_TEXT).await else {
        // Too long to be an error text: nothing sensible to wrap.
        return Response::from_parts(parts, Body::empty());
    };
    let html = page(String::from_utf8_lossy(&bytes).trim());
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_text_is_escaped() {
        let p = super::page("<script>x</script> & 見つかりません");
        assert!(p.contains("&lt;script&gt;x&lt;/script&gt; &amp; 見つかりません"));
        assert!(!p.contains("<script>"));
    }
}
