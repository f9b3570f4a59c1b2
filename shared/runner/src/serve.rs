//! `plasma serve`: the HTTP API on one listener plus the queue worker, event rules (through
//! the durable queue) and schedules, all on embedded adapters in this process. State is on
//! disk, so work queued before a crash is picked up after a restart.

use crate::hosts::{ALLOWED_HOSTS_VAR, AllowedHosts};
use crate::{hosts, upload, workers};
use anyhow::Context;
use plasma_core::{Clock, SystemClock, UuidV7Ids};
use plasma_platform::{EmbeddedRuntime, Platform, Settings};
use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// `plasma serve`: run until Ctrl-C or SIGTERM, then finish in-flight work and stop.
pub async fn run(data_dir: &Path, addr: SocketAddr) -> anyhow::Result<()> {
    plasma_platform::logging::init_pretty();
    let shutdown = install_shutdown_signal()?;
    let server = Server::start_with(data_dir, addr, Options::from_env()?).await?;
    // A closed stdout (a supervisor that stopped reading) must not take the server down.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Plasma Engine {} listening on {} (data in {})",
        env!("CARGO_PKG_VERSION"),
        server.url(),
        data_dir.display()
    );
    let _ = writeln!(out, "  dashboard: {}/app", server.url());
    let _ = writeln!(out, "  health:  curl {}/health", server.url());
    let _ = writeln!(out, "  a token: plasma token --tenant demo --role admin");
    if !server.dev_signin() {
        let _ = writeln!(
            out,
            "  the development sign-in is off: this runner may be reached from other machines \
             (set {ALLOW_DEV_SIGNIN_VAR}=true to offer it anyway)"
        );
    }
    let _ = out.flush();
    drop(out);
    shutdown.await;
    tracing::info!("shutting down: finishing in-flight work");
    server.stop().await
}

/// `true`: offer the development sign-in even where other machines may reach the runner.
pub const ALLOW_DEV_SIGNIN_VAR: &str = "PLASMA_ALLOW_DEV_SIGNIN";

/// What a runner takes from its environment, plus its clock. Tests build one by hand.
#[derive(Clone)]
pub struct Options {
    pub settings: Settings,
    pub clock: Arc<dyn Clock>,
    /// The dashboard's identity provider; without one, its development sign-in only.
    pub oidc: Option<plasma_web::OidcSettings>,
    /// Names besides the loopback ones and the listen address that the runner answers to
    /// (`name` or `name:port`): `PLASMA_ALLOWED_HOSTS` and `PLASMA_WEB_PUBLIC_URL`'s host.
    pub allowed_hosts: Vec<String>,
    /// Offer the development sign-in (a token for any tenant and role) even when the runner
    /// listens on a non-loopback address or answers to other names (`PLASMA_ALLOW_DEV_SIGNIN`).
    pub allow_dev_signin: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            settings: Settings::default(),
            clock: Arc::new(SystemClock),
            oidc: None,
            allowed_hosts: Vec::new(),
            allow_dev_signin: false,
        }
    }
}

impl Options {
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut allowed_hosts: Vec<String> = var(ALLOWED_HOSTS_VAR)
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect();
        if let Some(public) = var(plasma_web::PUBLIC_URL_VAR) {
            let host = url::Url::parse(&public)
                .ok()
                .and_then(|url| url.host_str().map(str::to_owned))
                .with_context(|| {
                    format!(
                        "environment variable {} is malformed: {public:?} is not a URL with a host",
                        plasma_web::PUBLIC_URL_VAR
                    )
                })?;
            allowed_hosts.push(host);
        }
        let allow_dev_signin = match var(ALLOW_DEV_SIGNIN_VAR).as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(other) => anyhow::bail!(
                "environment variable {ALLOW_DEV_SIGNIN_VAR} is malformed: expected true or false, got {other:?}"
            ),
        };
        Ok(Self {
            settings: Settings::from_env()?,
            clock: Arc::new(SystemClock),
            oidc: plasma_web::OidcSettings::from_env().map_err(anyhow::Error::msg)?,
            allowed_hosts,
            allow_dev_signin,
        })
    }
}

impl From<Settings> for Options {
    fn from(settings: Settings) -> Self {
        Self {
            settings,
            ..Self::default()
        }
    }
}

/// A running platform: HTTP listener plus background loops.
pub struct Server {
    addr: SocketAddr,
    dev_signin: bool,
    platform: Platform,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<anyhow::Result<()>>>,
}

impl Server {
    /// Defaults throughout: development tokens only, the built-in rate limits, no CORS.
    pub async fn start(data_dir: &Path, addr: SocketAddr) -> anyhow::Result<Self> {
        Self::start_with(data_dir, addr, Options::default()).await
    }

    /// Also trust the identity providers, map claims, limit rates, answer CORS and keep time
    /// as `options` say.
    pub async fn start_with(
        data_dir: &Path,
        addr: SocketAddr,
        options: impl Into<Options>,
    ) -> anyhow::Result<Self> {
        let options = options.into();
        // The provider sends the browser back to the dashboard's callback: its host is one
        // of the runner's names.
        let callback_host = options.oidc.as_ref().and_then(|oidc| {
            url::Url::parse(&oidc.redirect_url)
                .ok()?
                .host_str()
                .map(str::to_owned)
        });
        let names: Vec<String> = options
            .allowed_hosts
            .iter()
            .cloned()
            .chain(callback_host)
            .collect();
        let allowed = AllowedHosts::new(addr.ip(), &names)
            .map_err(|e| anyhow::anyhow!("{ALLOWED_HOSTS_VAR}: {e}"))?;
        // Anyone who can reach the sign-in form becomes admin of any tenant with it, so it is
        // offered only where nothing but this machine can, unless the operator says otherwise.
        let dev_signin = options.allow_dev_signin || allowed.local_only();
        if !dev_signin {
            tracing::warn!(
                %addr,
                "the development sign-in is off: the runner may be reached from other machines (set {ALLOW_DEV_SIGNIN_VAR}=true to offer it anyway)"
            );
        }
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        let addr = listener.local_addr()?;
        let platform = Platform::embedded(
            EmbeddedRuntime {
                data_dir: data_dir.to_owned(),
                public_url: format!("http://{addr}"),
                clock: options.clock,
                ids: Arc::new(UuidV7Ids),
            },
            options.settings,
        )?;
        let embedded = platform
            .ports
            .embedded
            .clone()
            .context("the runner needs the embedded backend")?;
        let (stop, stop_rx) = watch::channel(false);
        let api = api::app(&platform);
        // The dashboard at /app calls the same API router in process.
        let web = web::app(&platform, api.clone(), options.oidc, dev_signin);
        let app = upload::routes(
            embedded.clone(),
            platform.research.settings.max_document_bytes,
        )
        .merge(web)
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(allowed),
            hosts::guard,
        ));
        let mut http_stop = stop_rx.clone();
        let http = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = http_stop.wait_for(|stop| *stop).await;
        });
        let mut tasks = vec![
            tokio::spawn(async move { http.await.context("serving HTTP") }),
            tokio::spawn(workers::jobs(platform.clone(), stop_rx.clone())),
            tokio::spawn(workers::publish(platform.clone(), stop_rx.clone())),
            // Agent workflows: executions due now or at their wake-up time, resumed from
            // their checkpoints after a restart.
            tokio::spawn(
                plasma_agent::engine::Executor::new(platform.agent.clone()).run(stop_rx.clone()),
            ),
            tokio::spawn(workers::schedules(
                platform.clone(),
                embedded,
                stop_rx.clone(),
            )),
        ];
        // As many ingest batches at once as Lambda runs deployed (template.yaml's
        // MaximumConcurrency for the ingest queue): one batch's store writes and index commit
        // overlap another's extraction and embedding.
        for _ in 0..workers::INGEST_CONCURRENCY {
            tasks.push(tokio::spawn(workers::ingest(
                platform.clone(),
                stop_rx.clone(),
            )));
        }
        Ok(Self {
            addr,
            dev_signin,
            platform,
            stop,
            tasks,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Whether the dashboard offers the development sign-in.
    pub fn dev_signin(&self) -> bool {
        self.dev_signin
    }

    /// The adapters the server runs on, for tests that look behind the API.
    pub fn platform(&self) -> &Platform {
        &self.platform
    }

    /// Stop accepting requests, let in-flight work finish, and wait for every loop.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        for task in self.tasks {
            task.await.context("a runner task panicked")??;
        }
        Ok(())
    }
}

/// Ctrl-C or SIGTERM, registered before the server starts so that a signal sent as soon as
/// it answers is never missed.
#[cfg(unix)]
fn install_shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("installing the SIGINT handler")?;
    let mut terminate =
        signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
    })
}

#[cfg(not(unix))]
fn install_shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
