//! Command-line tasks besides serving: creating the first administrator on a real database.

use std::io::{BufRead, IsTerminal};

use uuid::Uuid;

use crate::{
    admin::{forms::GrantInput, repo},
    audit::{self, Actor, repo::Entry},
    auth::password,
    config::Config,
    db,
    domain::{email::Email, role::Role},
};

/// Creates an administrator account. The password is read from stdin (one line), or asked for
/// without echo when stdin is a terminal.
pub async fn create_admin(config: Config, email: &str, name: Option<String>) -> anyhow::Result<()> {
    let email = Email::parse(email)?;
    let secret = read_password()?;
    password::check_new(&secret)?;
    let database = db::open(&config).await?;
    let hash = password::hash(secret).await?;
    let input = crate::admin::forms::UserInput {
        display_name: name.unwrap_or_else(|| email.as_str().to_owned()),
        email,
        title: "Administratör".to_owned(),
        password: None,
        grants: vec![GrantInput {
            role: Role::Admin,
            municipality_id: None,
            board_id: None,
        }],
    };
    let mut tx = database.pool.begin().await?;
    let id: Uuid = repo::insert_user(&mut tx, &input, &hash)
        .await
        .map_err(|e| match db::constraints::field_message(&e) {
            Some((_, message)) => anyhow::anyhow!(message),
            None => e.into(),
        })?;
    let entry = Entry::change(
        "user_created",
        "user",
        id.to_string(),
        "roles",
        None,
        Some(Role::Admin.label().into()),
    );
    audit::record(&mut tx, &Actor::cli("create-admin"), entry).await?;
    tx.commit().await?;
    println!("Administratören {} har skapats.", input.email);
    database.pool.close().await;
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(
            "Lösenord för administratören: ",
        )?);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
