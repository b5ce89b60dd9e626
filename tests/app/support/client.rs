//! A cookie-keeping HTTP client that does not follow redirects, so tests see what happened.

use std::sync::Arc;

use reqwest::{Url, cookie::CookieStore, cookie::Jar, header::HeaderMap, redirect::Policy};
use scraper::{Html, Selector};

pub struct Client {
    http: reqwest::Client,
    jar: Arc<Jar>,
    base: Url,
}

/// A response, read as a user would read the page.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body as text (lossy for binary downloads; see `bytes`).
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Client {
    pub fn new(base: &str) -> Self {
        Self::with_jar(base, Arc::new(Jar::default()))
    }

    fn with_jar(base: &str, jar: Arc<Jar>) -> Self {
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(Policy::none())
            .build()
            .expect("http client");
        Self {
            http,
            jar,
            base: Url::parse(base).expect("base url"),
        }
    }

    /// A client presenting only the given session cookie, e.g. one kept from before sign-out.
    pub fn with_cookie(base: &str, cookie: &str) -> Self {
        let jar = Arc::new(Jar::default());
        let url = Url::parse(base).expect("base url");
        jar.add_cookie_str(&format!("portfolj={cookie}; Path=/"), &url);
        Self::with_jar(base, jar)
    }

    /// Every cookie this client would send, as a `Cookie` header's value.
    pub fn cookie_header(&self) -> String {
        self.jar
            .cookies(&self.base)
            .and_then(|h| h.to_str().ok().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The session cookie's value, if any.
    pub fn session_cookie(&self) -> Option<String> {
        let header = self.jar.cookies(&self.base)?;
        header
            .to_str()
            .ok()?
            .split("; ")
            .find_map(|c| c.strip_prefix("portfolj=").map(str::to_owned))
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .http
            .get(self.base.join(path).expect("path"))
            .send()
            .await
            .expect("GET");
        Page::read(response).await
    }

    /// Posts a form as the browser would, without adding anything.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        for (_, password) in fields.iter().filter(|(name, _)| name.contains("password")) {
            super::logs::secret(password);
        }
        let response = self
            .http
            .post(self.base.join(path).expect("path"))
            .form(fields)
            .send()
            .await
            .expect("POST");
        Page::read(response).await
    }

    /// Posts owned (name, value) pairs, such as a page's form values after a test changed some.
    pub async fn post_values(&self, path: &str, values: &[(String, String)]) -> Page {
        let fields: Vec<(&str, &str)> = values
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.post_raw(path, &fields).await
    }

    /// Posts a form with extra request headers, as a page's script does.
    pub async fn post_with_headers(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        fields: &[(&str, &str)],
    ) -> Page {
        let mut request = self
            .http
            .post(self.base.join(path).expect("path"))
            .form(fields);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Page::read(request.send().await.expect("POST")).await
    }

    /// Posts a form with the CSRF token of the page the form is on (`from`), as a browser would.
    /// When that page has a form for `path`, every field posted must be one the form renders:
    /// a test must not pass by posting a name the page never sends.
    pub async fn post_from(&self, from: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(from).await;
        if let Some(names) = page.form_fields(path) {
            for (name, _) in fields {
                assert!(
                    names.iter().any(|n| n == name),
                    "the form for {path} on {from} has no field {name:?} (it has {names:?})"
                );
            }
        }
        let token = page.csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Submits the form for `action` on page `from` as a person would after changing the fields
    /// in `changes`: every other field keeps what the page shows.
    pub async fn submit_form(&self, from: &str, action: &str, changes: &[(&str, &str)]) -> Page {
        let page = self.get(from).await;
        let values = page.filled_in(action, changes);
        self.post_values(action, &values).await
    }

    /// Uploads `bytes` as the file `name` with the upload form for `action` on page `from`.
    pub async fn upload(&self, from: &str, action: &str, name: &str, bytes: Vec<u8>) -> Page {
        self.upload_with(from, action, &[], (name, bytes)).await
    }

    /// Uploads a file with the upload form for `action` on page `from` after a person changed
    /// the fields in `changes`; every other field keeps what the page shows. The token goes
    /// first, as the form has it.
    pub async fn upload_with(
        &self,
        from: &str,
        action: &str,
        changes: &[(&str, &str)],
        (name, bytes): (&str, Vec<u8>),
    ) -> Page {
        let page = self.get(from).await;
        let fields = page.form_fields(action).expect("an upload form");
        assert!(
            fields.iter().any(|f| f == "file"),
            "the form has no file field"
        );
        let mut form = reqwest::multipart::Form::new().text("csrf_token", page.csrf_token());
        for (field, value) in page.filled_in(action, changes) {
            if field != "csrf_token" && field != "file" {
                form = form.text(field, value);
            }
        }
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
        let response = self
            .http
            .post(self.base.join(action).expect("path"))
            .multipart(form)
            .send()
            .await
            .expect("POST");
        Page::read(response).await
    }

    /// Posts a multipart form as built, without adding anything.
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Page {
        let response = self
            .http
            .post(self.base.join(path).expect("path"))
            .multipart(form)
            .send()
            .await
            .expect("POST");
        Page::read(response).await
    }

    /// Signs in through the sign-in form.
    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        self.post_from(
            "/logga-in",
            "/logga-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// A token fetched from a page of this session, signed in or not.
    pub async fn csrf_token(&self) -> String {
        let page = self.get("/logga-in").await;
        if page.status == 303 {
            self.get("/").await.csrf_token()
        } else {
            page.csrf_token()
        }
    }
}

impl Page {
    async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for cookie in headers.get_all("set-cookie") {
            let value = cookie.to_str().unwrap_or_default();
            let value = value.split(';').next().unwrap_or_default();
            super::logs::secret(value.split_once('=').map_or(value, |(_, v)| v));
        }
        let bytes = response.bytes().await.expect("body").to_vec();
        Self {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
        }
    }

    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get("location").and_then(|v| v.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The text of every element matching `selector`, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("selector");
        self.html()
            .select(&selector)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.texts(selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no {selector} in page:\n{}", self.body))
    }

    /// The value attribute of the first element matching `selector`.
    pub fn value(&self, selector: &str) -> Option<String> {
        let selector = Selector::parse(selector).expect("selector");
        self.html()
            .select(&selector)
            .next()?
            .value()
            .attr("value")
            .map(str::to_owned)
    }

    pub fn csrf_token(&self) -> String {
        let token = self
            .value("input[name=csrf_token]")
            .or_else(|| {
                let selector = Selector::parse("meta[name=csrf-token]").expect("selector");
                self.html()
                    .select(&selector)
                    .next()?
                    .value()
                    .attr("content")
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| panic!("no CSRF token in page ({}):\n{}", self.status, self.body));
        super::logs::secret(&token);
        token
    }

    /// The names of the controls of the page's forms posting to `action`, if it has any.
    pub fn form_fields(&self, action: &str) -> Option<Vec<String>> {
        let html = self.html();
        let forms = Selector::parse("form").expect("selector");
        // A named button counts: the browser posts the one that was pressed.
        let controls = Selector::parse("input[name], select[name], textarea[name], button[name]")
            .expect("selector");
        let mut names: Option<Vec<String>> = None;
        for form in html
            .select(&forms)
            .filter(|f| f.value().attr("action") == Some(action))
        {
            let list = names.get_or_insert_with(Vec::new);
            list.extend(
                form.select(&controls)
                    .filter_map(|c| c.value().attr("name").map(str::to_owned)),
            );
        }
        names
    }

    /// The values a browser would post from the page's form for `action`: inputs (checked ones
    /// for checkboxes and radios), selected options and textarea text, in document order.
    pub fn form_values(&self, action: &str) -> Vec<(String, String)> {
        let html = self.html();
        let form = Selector::parse(&format!("form[action='{action}']")).expect("selector");
        let controls =
            Selector::parse("input[name], select[name], textarea[name]").expect("selector");
        let selected = Selector::parse("option[selected]").expect("selector");
        let mut values = Vec::new();
        for form in html.select(&form) {
            for control in form.select(&controls) {
                let element = control.value();
                let name = element.attr("name").unwrap_or_default().to_owned();
                let value = match element.name() {
                    "textarea" => control.text().collect(),
                    "select" => control
                        .select(&selected)
                        .next()
                        .and_then(|o| o.value().attr("value"))
                        .unwrap_or_default()
                        .to_owned(),
                    _ => {
                        let kind = element.attr("type").unwrap_or("text");
                        if matches!(kind, "checkbox" | "radio") && element.attr("checked").is_none()
                        {
                            continue;
                        }
                        element.attr("value").unwrap_or_default().to_owned()
                    }
                };
                values.push((name, value));
            }
        }
        values
    }

    /// The values the page's form for `action` posts after a person changed the fields in
    /// `changes`: every other field keeps what the page shows.
    pub fn filled_in(&self, action: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut values: Vec<(String, String)> = self
            .form_values(action)
            .into_iter()
            .map(|(name, value)| {
                let changed = changes.iter().find(|(n, _)| *n == name);
                (name, changed.map_or(value, |(_, v)| (*v).to_owned()))
            })
            .collect();
        // A choice not yet made (an unchecked radio button) is added, if the form has it.
        let rendered = self.form_fields(action).unwrap_or_default();
        for (name, value) in changes {
            if !values.iter().any(|(n, _)| n == name) {
                assert!(
                    rendered.iter().any(|r| r == name),
                    "the form for {action} has no {name:?}"
                );
                values.push(((*name).to_owned(), (*value).to_owned()));
            }
        }
        values
    }

    /// The error message shown next to field `name`.
    pub fn field_error(&self, name: &str) -> Option<String> {
        self.texts(&format!("#{name}-error"))
            .into_iter()
            .next()
            .or_else(|| {
                self.texts(&format!("#{name} .field__error"))
                    .into_iter()
                    .next()
            })
    }
}
