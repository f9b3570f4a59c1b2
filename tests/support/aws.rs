//! Creates AWS resources on moto the way template.yaml declares them. Every helper makes
//! uniquely named resources, so tests running in parallel on one server never share state.

use aws_config::SdkConfig;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_eventbridge::types::Target;
use aws_sdk_kms::types::{KeySpec, KeyUsageType};
use aws_sdk_sqs::types::QueueAttributeName;
use plasma_core::{AwsConfig, QueueSpec, Rule};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// EventBridge Scheduler needs a role to assume; moto accepts any well-formed ARN.
pub const SCHEDULER_ROLE_ARN: &str = "arn:aws:iam::123456789012:role/plasma-scheduler";

/// `{prefix}-{pid}-{n}`: unique within this process's moto server, and lower-case so it is
/// also a valid bucket name.
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{n}", std::process::id())
}

/// S3 on a local endpoint needs path-style addressing: `bucket.127.0.0.1` does not resolve.
pub fn s3_client(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::config::Builder::from(sdk)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// A fresh, isolated set of resources for one test: table, bucket, the given queues, a bus
/// with the given rules, a schedule group and a KMS key.
pub async fn stack(sdk: &SdkConfig, specs: &[QueueSpec], rules: &[Rule]) -> AwsConfig {
    let queue_urls = create_queues(sdk, specs).await;
    AwsConfig {
        table: create_table(sdk).await,
        bucket: create_bucket(sdk).await,
        event_bus: create_bus(sdk, rules, &queue_urls).await,
        queue_urls,
        scheduler_group: create_schedule_group(sdk).await,
        scheduler_role_arn: SCHEDULER_ROLE_ARN.into(),
        search_endpoint: None,
        kms_key_id: Some(create_kms_key(sdk).await),
    }
}

/// The single table: PK/SK strings, GSI1 on GSI1PK/GSI1SK projecting everything, TTL on `ttl`.
pub async fn create_table(sdk: &SdkConfig) -> String {
    let client = aws_sdk_dynamodb::Client::new(sdk);
    let name = unique_name("plasma-table");
    let attr = |n: &str| {
        AttributeDefinition::builder()
            .attribute_name(n)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .expect("attribute definition")
    };
    let key = |n: &str, t: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(n)
            .key_type(t)
            .build()
            .expect("key schema")
    };
    let gsi1 = GlobalSecondaryIndex::builder()
        .index_name("GSI1")
        .key_schema(key("GSI1PK", KeyType::Hash))
        .key_schema(key("GSI1SK", KeyType::Range))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .expect("GSI1");
    client
        .create_table()
        .table_name(&name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(["PK", "SK", "GSI1PK", "GSI1SK"].map(attr).to_vec()))
        .key_schema(key("PK", KeyType::Hash))
        .key_schema(key("SK", KeyType::Range))
        .global_secondary_indexes(gsi1)
        .send()
        .await
        .unwrap_or_else(|e| panic!("moto: create table {name}: {e:?}"));
    let ttl = TimeToLiveSpecification::builder()
        .enabled(true)
        .attribute_name("ttl")
        .build()
        .expect("ttl spec");
    client
        .update_time_to_live()
        .table_name(&name)
        .time_to_live_specification(ttl)
        .send()
        .await
        .unwrap_or_else(|e| panic!("moto: enable TTL on {name}: {e:?}"));
    name
}

pub async fn create_bucket(sdk: &SdkConfig) -> String {
    let name = unique_name("plasma-bucket");
    s3_client(sdk)
        .create_bucket()
        .bucket(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("moto: create bucket {name}: {e:?}"));
    name
}

/// One SQS queue per spec, dead-letter queues first so their ARNs exist for the redrive
/// policies. Returns logical name → queue URL, the shape `AwsConfig::queue_urls` takes.
pub async fn create_queues(sdk: &SdkConfig, specs: &[QueueSpec]) -> BTreeMap<String, String> {
    let client = aws_sdk_sqs::Client::new(sdk);
    let mut ordered: Vec<&QueueSpec> = specs.iter().collect();
    ordered.sort_by_key(|s| s.dead_letter.is_some());
    let mut urls: BTreeMap<String, String> = BTreeMap::new();
    for spec in ordered {
        let name = unique_name(&spec.name);
        let mut req = client.create_queue().queue_name(&name).attributes(
            QueueAttributeName::VisibilityTimeout,
            spec.visibility_timeout.as_secs().to_string(),
        );
        if let Some(dlq) = &spec.dead_letter {
            let dlq_url = urls.get(dlq).unwrap_or_else(|| {
                panic!(
                    "queue {} names dead-letter queue {dlq}, which has no spec",
                    spec.name
                )
            });
            let policy = serde_json::json!({
                "deadLetterTargetArn": queue_arn(sdk, dlq_url).await,
                "maxReceiveCount": spec.max_receives.to_string(),
            });
            req = req.attributes(QueueAttributeName::RedrivePolicy, policy.to_string());
        }
        let out = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("moto: create queue {name}: {e:?}"));
        urls.insert(spec.name.clone(), out.queue_url.expect("queue url"));
    }
    urls
}

pub async fn queue_arn(sdk: &SdkConfig, url: &str) -> String {
    let out = aws_sdk_sqs::Client::new(sdk)
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap_or_else(|e| panic!("moto: queue ARN of {url}: {e:?}"));
    out.attributes
        .and_then(|mut a| a.remove(&QueueAttributeName::QueueArn))
        .unwrap_or_else(|| panic!("moto returned no QueueArn for {url}"))
}

/// A custom bus with one rule per [`Rule`], each targeting its queue, as template.yaml does.
pub async fn create_bus(
    sdk: &SdkConfig,
    rules: &[Rule],
    queue_urls: &BTreeMap<String, String>,
) -> String {
    let client = aws_sdk_eventbridge::Client::new(sdk);
    let bus = unique_name("plasma-bus");
    client
        .create_event_bus()
        .name(&bus)
        .send()
        .await
        .unwrap_or_else(|e| panic!("moto: create event bus {bus}: {e:?}"));
    for rule in rules {
        client
            .put_rule()
            .name(&rule.name)
            .event_bus_name(&bus)
            .event_pattern(rule.event_pattern().to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("moto: put rule {}: {e:?}", rule.name));
        let url = queue_urls.get(&rule.target_queue).unwrap_or_else(|| {
            panic!(
                "rule {} targets queue {}, which was not created",
                rule.name, rule.target_queue
            )
        });
        let target = Target::builder()
            .id(&rule.target_queue)
            .arn(queue_arn(sdk, url).await)
            .build()
            .expect("target");
        client
            .put_targets()
            .rule(&rule.name)
            .event_bus_name(&bus)
            .targets(target)
            .send()
            .await
            .unwrap_or_else(|e| panic!("moto: put target of rule {}: {e:?}", rule.name));
    }
    bus
}

pub async fn create_schedule_group(sdk: &SdkConfig) -> String {
    let name = unique_name("plasma-schedules");
    aws_sdk_scheduler::Client::new(sdk)
        .create_schedule_group()
        .name(&name)
        .send()
        .await
        .unwrap_or_else(|e| panic!("moto: create schedule group {name}: {e:?}"));
    name
}

/// A symmetric encryption key, as template.yaml's SecretsKey; returns its key id.
pub async fn create_kms_key(sdk: &SdkConfig) -> String {
    let out = aws_sdk_kms::Client::new(sdk)
        .create_key()
        .description(unique_name("plasma-secrets"))
        .key_spec(KeySpec::SymmetricDefault)
        .key_usage(KeyUsageType::EncryptDecrypt)
        .send()
        .await
        .unwrap_or_else(|e| panic!("moto: create KMS key: {e:?}"));
    out.key_metadata
        .expect("moto returned no key metadata")
        .key_id
}

/// The platform's AWS ports on a moto stack, as a function opens them from its environment.
pub fn platform_ports(sdk: &SdkConfig, stack: &AwsConfig) -> plasma_platform::Ports {
    plasma_platform::Ports::open(plasma_platform::Runtime::Aws(Box::new(
        plasma_platform::AwsRuntime {
            sdk: sdk.clone(),
            resources: stack.clone(),
        },
    )))
    .expect("the AWS ports open")
}
