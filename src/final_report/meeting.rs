//! The secretary's view of drafts by meeting, and the batch for one meeting: a ZIP with every
//! draft marked ready for that board and date, as Word and PDF/A, plus the list of items
//! (ärendelista). The ZIP is written as it is made, so memory stays bounded by one document.

use std::io::Write;

use askama::Template;
use axum::{
    body::Body,
    extract::{Query, State},
    response::{Html, IntoResponse, Response},
};
use bytes::Bytes;
use chrono::NaiveDate;
use serde::Deserialize;
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::{
    admin::repo::{BoardRef, Reference},
    documents::letterhead::Letterhead,
    domain::final_report::ReportStatus,
    final_report::{
        loader::load,
        policy,
        repo::{self, Listed},
    },
    letterheads,
    projects::{forms::optional_date, scope},
    web::{AppError, AppState, Chrome, CurrentUser, form::FieldErrors},
};

#[derive(Template)]
#[template(path = "final_report/meetings.html")]
struct MeetingsView {
    chrome: Chrome,
    drafts: Vec<Listed>,
    boards: Vec<BoardRef>,
    /// The batch form as typed, its messages, and what to say when the meeting has no drafts.
    typed: BatchTyped,
}

impl MeetingsView {
    fn chosen(&self, board: &BoardRef) -> bool {
        self.typed.batch.namnd.trim() == board.id.to_string()
    }
}

/// The batch form as typed, why it gave no archive, and what to say about an empty meeting.
#[derive(Debug, Default)]
struct BatchTyped {
    batch: BatchQuery,
    errors: FieldErrors,
    notice: Option<String>,
}

pub async fn list_drafts(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
) -> Result<Response, AppError> {
    render_drafts(&state, chrome, &me, BatchTyped::default()).await
}

/// The drafts page with the batch form as typed, its messages and a notice, if any.
async fn render_drafts(
    state: &AppState,
    chrome: Chrome,
    me: &CurrentUser,
    typed: BatchTyped,
) -> Result<Response, AppError> {
    let mine = policy::meeting_boards(me);
    let visible = scope::visible_municipalities(me);
    let mut conn = state.db.acquire().await?;
    let drafts = repo::listed(&mut conn, mine.as_deref(), visible.as_deref()).await?;
    drop(conn);
    let boards = Reference::load(&state.db)
        .await?
        .boards
        .into_iter()
        .filter(|b| mine.as_ref().is_none_or(|m| m.contains(&b.id)))
        .collect();
    let status = crate::web::form::status(&typed.errors, false);
    let view = MeetingsView {
        chrome,
        drafts,
        boards,
        typed,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// The batch form, as typed (it is a GET form, so its fields arrive in the query string).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BatchQuery {
    #[serde(default)]
    namnd: String,
    #[serde(default)]
    datum: String,
}

impl BatchQuery {
    /// The board and the meeting date, or a message next to each field that is missing or wrong.
    fn parse(&self) -> Result<(Uuid, NaiveDate), FieldErrors> {
        let mut e = FieldErrors::new();
        let board = self.namnd.trim().parse::<Uuid>().ok();
        if board.is_none() {
            e.add("namnd", "Välj nämnd.");
        }
        let date = match optional_date(&self.datum) {
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                e.add("datum", "Ange sammanträdets datum.");
                None
            }
            Err(message) => {
                e.add("datum", format!("Sammanträdets datum: {message}"));
                None
            }
        };
        match (board, date) {
            (Some(board), Some(date)) => Ok((board, date)),
            _ => Err(e),
        }
    }
}

/// One board's meeting with the drafts ready for it.
struct Batch {
    ready: Vec<Listed>,
    board_name: String,
    date: NaiveDate,
}

/// The drafts ready for the meeting the form names, or the form again saying why there is no
/// archive to give: the messages by field, or a notice that nothing is ready for that meeting.
async fn find_batch(
    state: &AppState,
    me: &CurrentUser,
    batch: BatchQuery,
) -> Result<Result<Batch, BatchTyped>, AppError> {
    let refused = |batch, errors, notice| {
        Ok(Err(BatchTyped {
            batch,
            errors,
            notice,
        }))
    };
    let (board, date) = match batch.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return refused(batch, errors, None),
    };
    policy::check_batch(me, board)?;
    let Some(board_name) = Reference::load(&state.db)
        .await?
        .boards
        .into_iter()
        .find(|b| b.id == board)
        .map(|b| format!("{}, {}", b.name, b.municipality))
    else {
        let mut errors = FieldErrors::new();
        errors.add("namnd", "Välj nämnd.");
        return refused(batch, errors, None);
    };
    let visible = scope::visible_municipalities(me);
    let mut conn = state.db.acquire().await?;
    let ready: Vec<Listed> = repo::listed(&mut conn, Some(&[board]), visible.as_deref())
        .await?
        .into_iter()
        .filter(|d| d.status == ReportStatus::Ready && d.meeting_date == Some(date))
        .collect();
    if ready.is_empty() {
        let notice = format!(
            "Ingen slutredovisning är markerad som klar för sammanträdet {date} ({board_name}), \
             så det finns inget att ladda ner. En slutredovisning markeras som klar för ett \
             sammanträde under fliken Slutredovisning på projektet."
        );
        return refused(batch, FieldErrors::new(), Some(notice));
    }
    Ok(Ok(Batch {
        ready,
        board_name,
        date,
    }))
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

/// The ZIP for one board's meeting. A missing or wrong board or date, or a meeting with no
/// draft ready for it, answers with the drafts page and its form as typed, saying what is wrong,
/// rather than an error page or an archive holding only an empty list of items.
pub async fn download_batch(
    State(state): State<AppState>,
    chrome: Chrome,
    me: CurrentUser,
    Query(batch): Query<BatchQuery>,
) -> Result<Response, AppError> {
    match find_batch(&state, &me, batch).await? {
        Ok(found) => Ok(stream_batch(state, me, found)),
        Err(typed) => render_drafts(&state, chrome, &me, typed).await,
    }
}

/// Streams the ZIP: each draft as Word and PDF/A, then the list of items.
fn stream_batch(state: AppState, me: CurrentUser, batch: Batch) -> Response {
    let Batch {
        ready,
        board_name,
        date,
    } = batch;
    let (sender, mut receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let (documents, mut incoming) = mpsc::channel(2);
    // Load each draft here (async), write the archive on the blocking pool.
    let loader = tokio::spawn(async move {
        let mut cache = None;
        for draft in ready {
            let item = match load(&state.db, &me, draft.project_id).await {
                Ok(l) => letterhead_of(&state, &mut cache, l.project.board_id)
                    .await
                    .map(|read| (draft, l.imprint(chrono::Utc::now()), l.document, read)),
                Err(e) => Err(e),
            };
            if documents.send(item).await.is_err() {
                break;
            }
        }
    });
    let abort = sender.clone();
    let writer = tokio::task::spawn_blocking(move || -> Result<(), String> {
        let mut zip = zip::ZipWriter::new_stream(ChannelWriter(sender));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip_time(chrono::Utc::now()));
        let mut items = vec![
            format!("Ärendelista – {board_name}, sammanträde {date}"),
            String::new(),
        ];
        let mut n = 0;
        while let Some(item) = incoming.blocking_recv() {
            let (draft, imprint, document, letterhead) = item.map_err(|e| e.to_string())?;
            n += 1;
            let docx = super::docx::write(&document, &imprint, &letterhead)?;
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
            // Only when the drafts changed between the check above and this read.
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
    crate::web::download::attachment("application/zip", &filename, Body::from_stream(stream))
}

/// A moment as a ZIP entry's time: local Swedish time, as a file manager shows it (a ZIP entry
/// carries no zone). Out of the format's range (before 1980), the format's own default.
/// The template of `board`'s municipality. The meeting's drafts are one board's, so it is
/// read once and kept in `cache`.
async fn letterhead_of(
    state: &AppState,
    cache: &mut Option<(Uuid, Letterhead)>,
    board: Uuid,
) -> Result<Letterhead, AppError> {
    if let Some((cached, letterhead)) = cache.as_ref()
        && *cached == board
    {
        return Ok(letterhead.clone());
    }
    let letterhead = letterheads::of_board(&mut *state.db.acquire().await?, board).await?;
    *cache = Some((board, letterhead.clone()));
    Ok(letterhead)
}

fn zip_time(at: chrono::DateTime<chrono::Utc>) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let local = at.with_timezone(&chrono_tz::Europe::Stockholm);
    let part = |n: u32| u8::try_from(n).unwrap_or(0);
    u16::try_from(local.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                part(local.month()),
                part(local.day()),
                part(local.hour()),
                part(local.minute()),
                part(local.second()),
            )
            .ok()
        })
        .unwrap_or_default()
}
