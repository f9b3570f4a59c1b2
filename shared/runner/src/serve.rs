//! `plasma serve`: the HTTP API on one listener plus the queue worker, event rules (through
//! the durable queue) and schedules, all on embedded adapters in this process. State is on
//! disk, so work queued before a crash is picked up after a restart.

use crate::{upload, workers};
use anyhow::Context;
use plasma_core::{SystemClock, UuidV7Ids};
use plasma_platform::Platform;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::watch;

pub async fn run(data_dir: &Path, addr: SocketAddr) -> anyhow::Result<()> {
    plasma_platform::logging::init_pretty();
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    let local = listener.local_addr()?;
    let public_url = format!("http://{local}");
    let platform = Platform::embedded(data_dir, &public_url, Arc::new(SystemClock), Arc::new(UuidV7Ids))?;
    let embedded = platform.embedded.clone().context("the runner needs the embedded backend")?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let background = [
        tokio::spawn(workers::jobs(platform.clone(), stop_rx.clone())),
        tokio::spawn(workers::schedules(platform.clone(), embedded.clone(), stop_rx.clone())),
    ];

    let app = upload::routes(embedded).merge(api::app(&platform));
    println!("Plasma Engine {} listening on {public_url} (data in {})", env!("CARGO_PKG_VERSION"), data_dir.display());
    println!("  health:  curl {public_url}/health");
    println!("  a token: plasma token --tenant demo --role admin");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")?;

    tracing::info!("shutting down: finishing in-flight work");
    let _ = stop_tx.send(true);
    for task in background {
        task.await.context("a background task panicked")?;
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
