//! The secretary's view of drafts by meeting, and the batch for one meeting: a ZIP with every
//! draft marked ready for that board and date, as Word and PDF/A, plus the list of items
//! (ärendelista). The ZIP is written as it is made, so memory stays bounded by one document.

use std::io::Write;

use askama::Template;
use axum::{
    body::Body,
    extract::{Query, State},
    http::header,
    response::{Html, IntoResponse, Response},
};
use bytes::Bytes;
use serde::Deserialize;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::{
    admin::repo::{BoardRef, Reference},
    domain::role::Role,
    final_report::{
        decision::status_label,
        handlers::load,
        repo::{self, Listed},
    },
    projects::{forms::optional_date, scope},
    web::{AppError, AppState, Chrome, CurrentUser},
};

/// The boards a user's drafts come from: a secretary's own boards, or all for everyone else.
fn boards_of(me: &CurrentUser) -> Option<Vec<Uuid>> {
    if me.grants.iter().all(|g| g.role == Role::Secretary) {
        Some(me.grants.iter().filter_map(|g| g.board_id).collect())
    } else {
        None
    }
}

#[derive(Template)]
#[template(path = "final_report/meetings.html")]
struct MeetingsView {
    chrome: Chrome,
    drafts: Vec<Listed>,
    boards: Vec<BoardRef>,
}

impl MeetingsView {
    fn status_label(&self, code: &str) -> &'static str {
        status_label(code)
    }
}

pub async fn list_drafts(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Html<String>, AppError> {
    let mine = boards_of(&me);
    let visible = scope::visible_municipalities(&me);
    let mut conn = state.db.acquire().await?;
    let drafts = repo::listed(&mut conn, mine.as_deref(), visible.as_deref()).await?;
    drop(conn);
    let boards = Reference::load(&state.db)
        .await?
        .boards
        .into_iter()
        .filter(|b| mine.as_ref().is_none_or(|m| m.contains(&b.id)))
        .collect();
    Ok(Html(
        MeetingsView {
            chrome,
            drafts,
            boards,
        }
        .render()?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct BatchQuery {
    #[serde(default)]
    namnd: String,
    #[serde(default)]
    datum: String,
}

/// Sends what the blocking ZIP writer produces to the response body, chunk by chunk.
struct ChannelWriter(mpsc::Sender<Result<Bytes, std::io::Error>>);

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client gone"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub async fn download_batch(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<BatchQuery>,
) -> Result<Response, AppError> {
    let board: Uuid = query
        .namnd
        .parse()
        .map_err(|_| AppError::BadRequest("Välj nämnd.".into()))?;
    let date = optional_date(&query.datum)
        .map_err(AppError::BadRequest)?
        .ok_or_else(|| AppError::BadRequest("Ange sammanträdets datum.".into()))?;
    if boards_of(&me).is_some_and(|mine| !mine.contains(&board)) {
        return Err(AppError::Forbidden);
    }
    let visible = scope::visible_municipalities(&me);
    let mut conn = state.db.acquire().await?;
    let ready: Vec<Listed> = repo::listed(&mut conn, Some(&[board]), visible.as_deref())
        .await?
        .into_iter()
        .filter(|d| d.status == "ready" && d.meeting_date == Some(date))
        .collect();
    drop(conn);
    let board_name = Reference::load(&state.db)
        .await?
        .boards
        .into_iter()
        .find(|b| b.id == board)
        .map(|b| format!("{}, {}", b.name, b.municipality))
        .ok_or(AppError::NotFound)?;

    let (sender, mut receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let (documents, mut incoming) = mpsc::channel(2);
    // Load each draft here (async), write the archive on the blocking pool.
    let loader = {
        let state = state.clone();
        let me = me.clone();
        let ready = ready.clone();
        tokio::spawn(async move {
            for draft in ready {
                let item = load(&state, &me, draft.project_id)
                    .await
                    .map(|l| (draft, l.imprint(chrono::Utc::now()), l.document));
                if documents.send(item).await.is_err() {
                    break;
                }
            }
        })
    };
    let abort = sender.clone();
    let writer = tokio::task::spawn_blocking(move || -> Result<(), String> {
        let mut zip = zip::ZipWriter::new_stream(ChannelWriter(sender));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut items = vec![
            format!("Ärendelista – {board_name}, sammanträde {date}"),
            String::new(),
        ];
        let mut n = 0;
        while let Some(item) = incoming.blocking_recv() {
            let (draft, imprint, document) = item.map_err(|e| e.to_string())?;
            n += 1;
            let docx = super::docx::write(&document, &imprint)?;
            let file = format!("{n:02} Slutredovisning {}", draft.case_number);
            zip.start_file(format!("{file}.docx"), options)
                .map_err(|e| e.to_string())?;
            zip.write_all(&docx).map_err(|e| e.to_string())?;
            let pdf = super::pdf::write(&document, &imprint)?;
            zip.start_file(format!("{file}.pdf"), options)
                .map_err(|e| e.to_string())?;
            zip.write_all(&pdf).map_err(|e| e.to_string())?;
            items.push(format!(
                "{n}. Dnr {} – {}",
                draft.case_number, document.title
            ));
        }
        if n == 0 {
            items.push(
                "Inga slutredovisningar är markerade som klara för det här sammanträdet.".into(),
            );
        }
        zip.start_file("00 Ärendelista.txt", options)
            .map_err(|e| e.to_string())?;
        zip.write_all(items.join("\r\n").as_bytes())
            .map_err(|e| e.to_string())?;
        zip.finish().map_err(|e| e.to_string())?;
        Ok(())
    });
    tokio::spawn(async move {
        let _ = loader.await;
        let failure = match writer.await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(e) => Some(e.to_string()),
        };
        if let Some(e) = failure {
            tracing::error!(error = %e, "meeting batch failed");
            // An error in the body aborts the response, so the client never mistakes a cut
            // archive for a whole one.
            let _ = abort.send(Err(std::io::Error::other(e))).await;
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    let filename = format!("Slutredovisningar_{date}.zip");
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
