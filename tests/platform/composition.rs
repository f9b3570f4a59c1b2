//! The composition root builds each capability exactly once per process, on both runtimes.

use plasma_core::{SystemClock, UuidV7Ids};
use plasma_platform::{EmbeddedRuntime, Platform, Settings, topology};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::{Layer, Registry};

/// How many times each capability's constructor ran (its event on [`plasma_core::BUILT`]).
#[derive(Clone, Default)]
struct Builds(Arc<Mutex<BTreeMap<String, usize>>>);

impl<S: tracing::Subscriber> Layer<S> for Builds {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != plasma_core::BUILT {
            return;
        }
        struct Capability(Option<String>);
        impl Visit for Capability {
            fn record_str(&mut self, field: &Field, value: &str) {
                if field.name() == "capability" {
                    self.0 = Some(value.to_owned());
                }
            }
            fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
        }
        let mut capability = Capability(None);
        event.record(&mut capability);
        let name = capability.0.unwrap_or_else(|| "(unnamed)".into());
        *self.0.lock().unwrap().entry(name).or_default() += 1;
    }
}

/// Runs `compose` with the counting subscriber on this thread and returns the counts.
fn builds(compose: impl FnOnce() -> Platform) -> BTreeMap<String, usize> {
    let builds = Builds::default();
    let subscriber = Registry::default().with(builds.clone());
    let platform = tracing::subscriber::with_default(subscriber, compose);
    drop(platform);
    builds.0.lock().unwrap().clone()
}

fn once() -> BTreeMap<String, usize> {
    ["agent", "brand", "content", "research", "webhooks"]
        .into_iter()
        .map(|name| (name.to_owned(), 1))
        .collect()
}

/// What `plasma serve` does (and a function on `PLASMA_BACKEND=embedded`), with settings
/// that switch on what settings can: each capability is still built once.
#[test]
fn the_embedded_platform_builds_each_capability_once() {
    let dir = tempfile::tempdir().unwrap();
    let counts = builds(|| {
        Platform::embedded(
            EmbeddedRuntime {
                data_dir: dir.path().to_owned(),
                public_url: "http://127.0.0.1:3000".into(),
                clock: Arc::new(SystemClock),
                ids: Arc::new(UuidV7Ids),
            },
            Settings {
                allow_private_egress: Some(false),
                bedrock_model_id: Some("anthropic.claude-3-haiku-20240307-v1:0".into()),
                ..Settings::default()
            },
        )
        .unwrap()
    });
    assert_eq!(counts, once());
}

/// What a Lambda function does: the AWS runtime (moto), deployment settings included.
#[tokio::test]
async fn the_aws_platform_builds_each_capability_once() {
    let sdk = plasma_tests::moto::sdk_config().await;
    let resources = plasma_tests::aws::stack(&sdk, &topology::queues(), &topology::rules()).await;
    let counts = builds(|| {
        let ports = plasma_tests::aws::platform_ports(&sdk, &resources);
        Platform::compose(
            ports,
            Settings {
                bedrock_model_id: Some("anthropic.claude-3-haiku-20240307-v1:0".into()),
                states_role_arn: Some("arn:aws:iam::123456789012:role/states".into()),
                ..Settings::default()
            },
        )
        .unwrap()
    });
    assert_eq!(counts, once());
}
