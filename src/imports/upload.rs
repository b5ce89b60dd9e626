//! A ledger file received from the upload form: streamed to a temporary file a chunk at a time
//! (never held in memory), its SHA-256 computed on the way, within a size bound. The file is
//! unlinked as soon as it is reopened for reading, so nothing is left behind if the server stops.

use std::{fs::File, path::PathBuf};

use axum::extract::{Multipart, multipart::Field};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use crate::{
    imports::table_setting::{FIELDS, Typed},
    web::{AppError, form::FieldErrors},
};

/// The upload form's fields: the file and the municipality whose ledger it is.
#[derive(Debug)]
pub struct Received {
    pub file_name: String,
    pub sha256: String,
    pub bytes: u64,
    pub file: File,
    pub municipality: Option<Uuid>,
    /// How to read a CSV or Excel file, as typed.
    pub typed: Typed,
}

/// What the form had, with what was wrong with it.
pub enum Upload {
    Received(Received),
    Refused {
        errors: FieldErrors,
        municipality: Option<Uuid>,
        typed: Typed,
    },
}

/// Reads the form, writing its file to disk; a file over `max_bytes` is refused.
pub async fn receive(mut multipart: Multipart, max_bytes: u64) -> Result<Upload, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.to_string());
    let mut municipality = None;
    let mut typed = Typed::new();
    let mut file = None;
    let mut errors = FieldErrors::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("municipality") => {
                municipality = field.text().await.map_err(bad)?.parse().ok();
            }
            Some("file") => {
                let name = field.file_name().unwrap_or_default().trim().to_owned();
                if name.is_empty() {
                    continue;
                }
                match write(field, max_bytes).await? {
                    Some(written) => file = Some((name, written)),
                    None => errors.add(
                        "file",
                        format!(
                            "Filen är större än {} MB. Dela upp exporten per period.",
                            max_bytes >> 20
                        ),
                    ),
                }
            }
            Some(name) if FIELDS.contains(&name) => {
                let name = name.to_owned();
                let value: String = field.text().await.map_err(bad)?.chars().take(200).collect();
                typed.insert(name, value);
            }
            _ => {}
        }
    }
    if municipality.is_none() {
        errors.add(
            "municipality",
            "Välj vilken kommuns huvudbok filen kommer från.",
        );
    }
    match file {
        Some((file_name, (sha256, bytes, file))) if errors.is_empty() => {
            Ok(Upload::Received(Received {
                file_name: shorten(&file_name),
                sha256,
                bytes,
                file,
                municipality,
                typed,
            }))
        }
        _ => {
            if file.is_none() && errors.get("file").is_none() {
                errors.add("file", "Välj en fil att läsa in (SIE, CSV eller Excel).");
            }
            Ok(Upload::Refused {
                errors,
                municipality,
                typed,
            })
        }
    }
}

/// The file's name as the import keeps it: at most 255 characters.
fn shorten(name: &str) -> String {
    name.chars().take(255).collect()
}

/// Streams the file part to a temporary file: its SHA-256, size and the reopened file, or
/// `None` when it is over `max_bytes`.
async fn write(
    mut field: Field<'_>,
    max_bytes: u64,
) -> Result<Option<(String, u64, File)>, AppError> {
    let path = temporary_path();
    let written = write_to(&path, &mut field, max_bytes).await;
    let reopened = File::open(&path);
    // Unlinked now: the open handle keeps the bytes until the reading is done.
    let _ = std::fs::remove_file(&path);
    match written? {
        Some((sha256, bytes)) => {
            let file = reopened.map_err(|e| AppError::Internal(format!("upload file: {e}")))?;
            Ok(Some((sha256, bytes, file)))
        }
        None => Ok(None),
    }
}

async fn write_to(
    path: &std::path::Path,
    field: &mut Field<'_>,
    max_bytes: u64,
) -> Result<Option<(String, u64)>, AppError> {
    let io = |e: std::io::Error| AppError::Internal(format!("upload file: {e}"));
    let mut out = tokio::io::BufWriter::new(tokio::fs::File::create(path).await.map_err(io)?);
    let mut hash = Sha256::new();
    let mut bytes = 0u64;
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| AppError::BadRequest(e.to_string()))?
    {
        bytes += chunk.len() as u64;
        if bytes > max_bytes {
            return Ok(None);
        }
        hash.update(&chunk);
        out.write_all(&chunk).await.map_err(io)?;
    }
    out.flush().await.map_err(io)?;
    Ok(Some((format!("{:x}", hash.finalize()), bytes)))
}

fn temporary_path() -> PathBuf {
    std::env::temp_dir().join(format!("portfolj-ledger-{}.upload", Uuid::now_v7()))
}
