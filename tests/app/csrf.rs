//! Forged requests are refused and change nothing; an upload gets its longer time only once its
//! token is in.

use std::time::Duration;

use crate::support::{ADMIN, CONTROLLER, TestApp};

const NEW_USER: [(&str, &str); 4] = [
    ("email", "forged@x.se"),
    ("display_name", "Forged"),
    ("password", "ett långt lösenord"),
    ("roles", "admin"),
];

async fn forged_users(app: &TestApp) -> i64 {
    app.count("SELECT count(*) FROM app_user WHERE email = 'forged@x.se'")
        .await
}

#[tokio::test]
async fn a_post_without_a_token_is_forbidden() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(ADMIN).await;
    let page = client.post_raw("/admin/anvandare/ny", &NEW_USER).await;
    assert_eq!(page.status, 403);
    assert_eq!(page.text("h1"), "Formuläret kunde inte skickas");
    assert!(page.text("main").contains("Ingenting har sparats"));
    assert_eq!(forged_users(&app).await, 0);
}

#[tokio::test]
async fn a_post_with_a_wrong_token_is_forbidden() {
    let app = TestApp::spawn().await;
    let client = app.signed_in(ADMIN).await;
    let mut fields = vec![("csrf_token", "0".repeat(64))];
    fields.extend(NEW_USER.iter().map(|(k, v)| (*k, v.to_string())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        client.post_raw("/admin/anvandare/ny", &fields).await.status,
        403
    );
    assert_eq!(forged_users(&app).await, 0);
}

#[tokio::test]
async fn a_post_with_another_sessions_token_is_forbidden() {
    let app = TestApp::spawn().await;
    let victim = app.signed_in(ADMIN).await;
    let attacker = app.signed_in(ADMIN).await;
    let attackers_token = attacker.csrf_token().await;
    let mut fields = vec![("csrf_token", attackers_token.as_str())];
    fields.extend_from_slice(&NEW_USER);
    assert_eq!(
        victim.post_raw("/admin/anvandare/ny", &fields).await.status,
        403
    );
    assert_eq!(forged_users(&app).await, 0);
    // The same form with the victim's own token goes through: the refusal was the token.
    assert_eq!(
        victim
            .post_from("/admin/anvandare/ny", "/admin/anvandare/ny", &NEW_USER)
            .await
            .status,
        303
    );
    assert_eq!(forged_users(&app).await, 1);
}

#[tokio::test]
async fn the_token_changes_at_sign_in() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let before = client.csrf_token().await;
    client.sign_in(ADMIN, "demo").await;
    let after = client.get("/").await.csrf_token();
    assert_ne!(before, after);
}

/// Sends a multipart upload of the ledger form over a raw connection: the token part at once or
/// after `token_after`, then `file` in pieces `pause` apart. The response's status line.
async fn trickled_upload(
    app: &TestApp,
    client: &crate::support::Client,
    (token_after, pause): (Duration, Duration),
    file: &[u8],
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let token = client.get("/utfall/import").await.csrf_token();
    let ludvika = app.municipality_id("Ludvika").await;
    let boundary = "grans-1234";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"municipality\"\r\n\r\n{ludvika}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sakta.se\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let length = head.len() + file.len() + tail.len();
    let address = app
        .base_url
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST /utfall/import HTTP/1.1\r\nHost: {address}\r\nCookie: {}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {length}\r\n\
         Connection: close\r\n\r\n",
        client.cookie_header()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    tokio::time::sleep(token_after).await;
    // A server that has answered may close before the rest is sent: not an error here.
    let _ = stream.write_all(head.as_bytes()).await;
    for piece in file.chunks(file.len().div_ceil(4).max(1)) {
        tokio::time::sleep(pause).await;
        let _ = stream.write_all(piece).await;
    }
    let _ = stream.write_all(tail.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// A ledger file slower than the request timeout still arrives (uploads have their own, longer
/// limit), but only once its form's token has come within the request timeout.
#[tokio::test]
async fn a_slow_upload_gets_the_upload_timeout_once_its_token_is_in() {
    let app = TestApp::spawn_with(|c| {
        c.request_timeout = Duration::from_secs(1);
        c.upload_timeout = Duration::from_secs(60);
    })
    .await;
    let client = app.signed_in(CONTROLLER).await;
    let file = crate::ledger_import::sie(&crate::ledger_import::voucher(1, "20260301", 100));
    let pauses = (Duration::ZERO, Duration::from_millis(500));
    let status = trickled_upload(&app, &client, pauses, &file).await;
    assert!(status.contains(" 303 "), "{status}");

    let late_token = (Duration::from_millis(2500), Duration::ZERO);
    let status = trickled_upload(&app, &client, late_token, &file).await;
    assert!(
        status.contains(" 408 "),
        "a token later than the request timeout is a timeout: {status}"
    );
    let imports = app.count("SELECT count(*) FROM ledger_import").await;
    assert_eq!(imports, 1);
}
