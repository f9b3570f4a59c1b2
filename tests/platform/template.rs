//! template.yaml agrees with the code: every function has a crate and a sample event, the
//! table's key schema and TTL use the reserved attribute names, and every variable the AWS
//! configuration reads is set for every function.
//!
//! The helpers at the top ([`template`], [`functions`], [`event_rules`], [`schedules_by_function`],
//! [`queue_names`]) are meant for reuse: a test that the template's rules and schedules match
//! the code's constants can compare `plasma_core::Rule::event_pattern()` with
//! [`TemplateRule::pattern`] and `plasma_platform::schedules::SCHEDULES` with [`schedules_by_function`].

use plasma_core::config::{BACKEND_VAR, KMS_KEY_ID_VAR, queue_url_var};
use plasma_core::item::RESERVED_ATTRIBUTES;
use plasma_core::{Backend, Config, EventEnvelope, ScheduleExpression};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Logical queue names the code uses (`PLASMA_QUEUE_<NAME>_URL` each).
pub const QUEUES: [&str; 2] = ["jobs", "jobs-dlq"];

/// Variables the AWS backend requires besides the queue URLs (see `Config::from_lookup`).
/// `aws_config_reads_only_known_variables` keeps this list in step with config.rs.
pub const AWS_VARS: [&str; 5] = [
    "PLASMA_TABLE",
    "PLASMA_BUCKET",
    "PLASMA_EVENT_BUS",
    "PLASMA_SCHEDULER_GROUP",
    "PLASMA_SCHEDULER_ROLE_ARN",
];

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

/// The workspace root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// template.yaml as JSON, with CloudFormation's short-form tags turned into their long form:
/// `!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}`,
/// `!Sub s` → `{"Fn::Sub": "s"}`, `!Condition c` → `{"Condition": "c"}`.
pub fn template() -> Value {
    let path = repo_root().join("template.yaml");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    parse_template(&text)
}

pub fn parse_template(text: &str) -> Value {
    let yaml: serde_norway::Value =
        serde_norway::from_str(text).expect("template.yaml is not valid YAML");
    yaml_to_json(yaml)
}

fn yaml_to_json(v: serde_norway::Value) -> Value {
    use serde_norway::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                json!(n.as_f64())
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match yaml_to_json(k) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                out.insert(key, yaml_to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let value = yaml_to_json(tagged.value);
            let (key, value) = match tag {
                "Ref" | "Condition" => (tag.to_string(), value),
                // `!GetAtt Res.Attr` is the string form of `Fn::GetAtt: [Res, Attr]`.
                "GetAtt" => match value {
                    Value::String(s) => {
                        let (res, attr) = s.split_once('.').unwrap_or((s.as_str(), ""));
                        ("Fn::GetAtt".into(), json!([res, attr]))
                    }
                    other => ("Fn::GetAtt".into(), other),
                },
                other => (format!("Fn::{other}"), value),
            };
            json!({ key: value })
        }
    }
}

/// The logical id a `Ref` or `Fn::GetAtt` points at, if `v` is one.
pub fn referenced_resource(v: &Value) -> Option<&str> {
    v.get("Ref").and_then(Value::as_str).or_else(|| {
        v.get("Fn::GetAtt")
            .and_then(|a| a.get(0))
            .and_then(Value::as_str)
    })
}

pub fn resources(tpl: &Value) -> &Map<String, Value> {
    tpl["Resources"]
        .as_object()
        .expect("template.yaml has no Resources")
}

fn resource_type(tpl: &Value, logical_id: &str) -> Option<String> {
    resources(tpl)
        .get(logical_id)
        .map(|r| r["Type"].as_str().unwrap_or_default().to_string())
}

/// One `AWS::Serverless::Function`, as the template declares it.
#[derive(Debug, Clone)]
pub struct TemplateFunction {
    pub logical_id: String,
    /// The crate under `functions/`: `Metadata.BuildProperties.Binary`, else the basename of
    /// `CodeUri`.
    pub name: String,
    /// Its `Properties`.
    pub properties: Value,
    /// Environment variables, Globals merged with the function's own.
    pub environment: BTreeMap<String, Value>,
}

impl TemplateFunction {
    /// The function's event sources (`Properties.Events`), by event name.
    pub fn events(&self) -> Vec<(&str, &Value)> {
        self.properties["Events"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }

    /// A property of the function, falling back to `Globals.Function`.
    pub fn property<'a>(&'a self, tpl: &'a Value, name: &str) -> Option<&'a Value> {
        self.properties
            .get(name)
            .or_else(|| tpl["Globals"]["Function"].get(name))
    }
}

/// Every `AWS::Serverless::Function`, keyed by crate name.
pub fn functions(tpl: &Value) -> BTreeMap<String, TemplateFunction> {
    let globals = &tpl["Globals"]["Function"];
    let mut out = BTreeMap::new();
    for (logical_id, res) in resources(tpl) {
        if res["Type"] != "AWS::Serverless::Function" {
            continue;
        }
        let props = res["Properties"].clone();
        let binary = res["Metadata"]["BuildProperties"]["Binary"]
            .as_str()
            .map(str::to_string);
        let name = binary.unwrap_or_else(|| {
            let uri = props["CodeUri"]
                .as_str()
                .or_else(|| globals["CodeUri"].as_str())
                .unwrap_or_else(|| {
                    panic!("{logical_id}: neither BuildProperties.Binary nor CodeUri")
                });
            Path::new(uri.trim_end_matches('/'))
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_else(|| panic!("{logical_id}: CodeUri {uri:?} has no basename"))
                .to_string()
        });
        let mut environment = BTreeMap::new();
        for vars in [
            &globals["Environment"]["Variables"],
            &props["Environment"]["Variables"],
        ] {
            if let Some(vars) = vars.as_object() {
                environment.extend(vars.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        let f = TemplateFunction {
            logical_id: logical_id.clone(),
            name: name.clone(),
            properties: props,
            environment,
        };
        assert!(
            out.insert(name.clone(), f).is_none(),
            "two functions build the crate {name}"
        );
    }
    out
}

/// Template queue logical id → the code's logical queue name, read off the
/// `PLASMA_QUEUE_<NAME>_URL: !Ref <Queue>` variables in Globals (`JobsQueue` → `jobs`).
pub fn queue_names(tpl: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let vars = tpl["Globals"]["Function"]["Environment"]["Variables"].as_object();
    for (var, value) in vars.into_iter().flatten() {
        let Some(name) = var
            .strip_prefix("PLASMA_QUEUE_")
            .and_then(|v| v.strip_suffix("_URL"))
        else {
            continue;
        };
        let name = name.to_ascii_lowercase().replace('_', "-");
        assert_eq!(queue_url_var(&name), *var);
        if let Some(id) = referenced_resource(value) {
            out.insert(id.to_string(), name);
        }
    }
    out
}

/// An `AWS::Events::Rule` with an event pattern (schedule rules are in
/// [`schedules_by_function`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateRule {
    pub logical_id: String,
    /// The code's rule name (`plasma_core::Rule::name`): the logical id without its `Rule`
    /// suffix, in kebab case (`AuditRule` → `audit`).
    pub name: String,
    pub pattern: Value,
    /// Logical id of the bus it is on (`None`: the default bus).
    pub event_bus: Option<String>,
    /// Target queues by the code's logical name (see [`queue_names`]); a queue with no
    /// `PLASMA_QUEUE_*_URL` variable appears under its logical id.
    pub target_queues: Vec<String>,
    /// Crates whose SQS event source reads one of those queues.
    pub consumers: Vec<String>,
}

/// `AuditRule` → `audit`, `BrandPublishedRule` → `brand-published`.
pub fn rule_name(logical_id: &str) -> String {
    let base = logical_id.strip_suffix("Rule").unwrap_or(logical_id);
    let mut out = String::new();
    for (i, c) in base.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Every event-pattern rule, keyed by logical id (`AuditRule`).
pub fn event_rules(tpl: &Value) -> BTreeMap<String, TemplateRule> {
    let names = queue_names(tpl);
    let fns = functions(tpl);
    let mut out = BTreeMap::new();
    for (logical_id, res) in resources(tpl) {
        if res["Type"] != "AWS::Events::Rule" || res["Properties"].get("EventPattern").is_none() {
            continue;
        }
        let props = &res["Properties"];
        let mut target_queues = Vec::new();
        for target in props["Targets"].as_array().into_iter().flatten() {
            let Some(id) = referenced_resource(&target["Arn"]) else {
                continue;
            };
            if resource_type(tpl, id).as_deref() == Some("AWS::SQS::Queue") {
                target_queues.push(names.get(id).cloned().unwrap_or_else(|| id.to_string()));
            }
        }
        let consumers = fns
            .values()
            .filter(|f| {
                f.events().iter().any(|(_, e)| {
                    e["Type"] == "SQS"
                        && referenced_resource(&e["Properties"]["Queue"])
                            .map(|q| names.get(q).map(String::as_str).unwrap_or(q))
                            .is_some_and(|q| target_queues.iter().any(|t| t == q))
                })
            })
            .map(|f| f.name.clone())
            .collect();
        out.insert(
            logical_id.clone(),
            TemplateRule {
                logical_id: logical_id.clone(),
                name: rule_name(logical_id),
                pattern: props["EventPattern"].clone(),
                event_bus: props
                    .get("EventBusName")
                    .and_then(referenced_resource)
                    .map(str::to_string),
                target_queues,
                consumers,
            },
        );
    }
    out
}

/// Schedule expressions (`rate(1 hour)`, `cron(...)`) that invoke each function, keyed by crate
/// name: its `Schedule`/`ScheduleV2` events, plus standalone `AWS::Events::Rule` and
/// `AWS::Scheduler::Schedule` resources whose target is the function.
pub fn schedules_by_function(tpl: &Value) -> BTreeMap<String, Vec<String>> {
    let fns = functions(tpl);
    let by_logical_id: BTreeMap<&str, &str> = fns
        .values()
        .map(|f| (f.logical_id.as_str(), f.name.as_str()))
        .collect();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in fns.values() {
        for (_, event) in f.events() {
            let p = &event["Properties"];
            let expr = match event["Type"].as_str() {
                Some("Schedule") => p["Schedule"].as_str(),
                Some("ScheduleV2") => p["ScheduleExpression"].as_str(),
                _ => None,
            };
            if let Some(expr) = expr {
                out.entry(f.name.clone())
                    .or_default()
                    .push(expr.to_string());
            }
        }
    }
    for res in resources(tpl).values() {
        let p = &res["Properties"];
        let (expr, targets): (_, Vec<&Value>) = match res["Type"].as_str() {
            Some("AWS::Events::Rule") => (
                p["ScheduleExpression"].as_str(),
                p["Targets"]
                    .as_array()
                    .map(|t| t.iter().map(|t| &t["Arn"]).collect())
                    .unwrap_or_default(),
            ),
            Some("AWS::Scheduler::Schedule") => {
                (p["ScheduleExpression"].as_str(), vec![&p["Target"]["Arn"]])
            }
            _ => continue,
        };
        let Some(expr) = expr else { continue };
        for target in targets {
            if let Some(name) = referenced_resource(target).and_then(|id| by_logical_id.get(id)) {
                out.entry(name.to_string())
                    .or_default()
                    .push(expr.to_string());
            }
        }
    }
    out
}

/// Crates under `functions/` (directories holding a Cargo.toml).
fn function_crates() -> BTreeSet<String> {
    let dir = repo_root().join("functions");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// `events/<name>*.json` for a function.
fn sample_events(name: &str) -> Vec<PathBuf> {
    let dir = repo_root().join("events");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let file = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            file.starts_with(name) && file.ends_with(".json")
        })
        .collect();
    found.sort();
    found
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// A value standing in for what CloudFormation would put in a variable, so the real config
/// reader can be run over the template's environment.
fn placeholder(tpl: &Value, value: &Value) -> String {
    if let Some(s) = value.as_str() {
        return s.to_string();
    }
    // Parameters, pseudo parameters and other intrinsics (`!Sub` for RUST_LOG).
    let Some((id, ty)) =
        referenced_resource(value).and_then(|id| Some((id, resource_type(tpl, id)?)))
    else {
        return format!("resolved {value}");
    };
    match (ty.as_str(), value.get("Fn::GetAtt")) {
        ("AWS::SQS::Queue", None) => {
            format!("https://sqs.eu-west-1.amazonaws.com/123456789012/{id}")
        }
        (_, Some(_)) => format!("arn:aws:placeholder:eu-west-1:123456789012:{id}"),
        _ => format!("{id}-name"),
    }
}

// ------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------

#[test]
fn every_function_has_a_crate_and_a_sample_event_and_every_crate_is_deployed() {
    let tpl = template();
    let fns = functions(&tpl);
    assert!(
        !fns.is_empty(),
        "template.yaml declares no AWS::Serverless::Function"
    );
    for f in fns.values() {
        let manifest = repo_root()
            .join("functions")
            .join(&f.name)
            .join("Cargo.toml");
        let cargo = std::fs::read_to_string(&manifest)
            .unwrap_or_else(|_| panic!("{}: no crate at functions/{}", f.logical_id, f.name));
        // The binary is the package's default bin or a [[bin]] of that name.
        assert!(
            cargo
                .lines()
                .any(|l| l.replace(' ', "") == format!("name=\"{}\"", f.name)),
            "{}: functions/{}/Cargo.toml has no package or bin named {}",
            f.logical_id,
            f.name,
            f.name
        );
        let samples = sample_events(&f.name);
        assert!(
            !samples.is_empty(),
            "{}: no events/{}*.json sample event",
            f.logical_id,
            f.name
        );
        for sample in samples {
            read_json(&sample);
        }
        assert_eq!(
            f.property(&tpl, "Handler"),
            Some(&json!("bootstrap")),
            "{}",
            f.logical_id
        );
        assert_eq!(
            f.property(&tpl, "Runtime"),
            Some(&json!("provided.al2023")),
            "{}",
            f.logical_id
        );
    }
    let deployed: BTreeSet<String> = fns.keys().cloned().collect();
    assert_eq!(
        function_crates(),
        deployed,
        "crates under functions/ vs functions in template.yaml"
    );
}

#[test]
fn table_keys_gsi_and_ttl_use_the_reserved_attribute_names() {
    let [pk, sk, gsi1pk, gsi1sk, ttl] = RESERVED_ATTRIBUTES;
    let tpl = template();
    let tables: Vec<&Value> = resources(&tpl)
        .values()
        .filter(|r| r["Type"] == "AWS::DynamoDB::Table")
        .collect();
    assert_eq!(tables.len(), 1, "expected exactly one DynamoDB table");
    let props = &tables[0]["Properties"];

    let schema = |keys: &Value| -> Vec<(String, String)> {
        keys.as_array()
            .expect("KeySchema")
            .iter()
            .map(|k| {
                (
                    k["AttributeName"].as_str().unwrap().into(),
                    k["KeyType"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let pair = |h: &str, r: &str| {
        vec![
            (h.to_string(), "HASH".to_string()),
            (r.to_string(), "RANGE".to_string()),
        ]
    };
    assert_eq!(schema(&props["KeySchema"]), pair(pk, sk));

    let gsis = props["GlobalSecondaryIndexes"]
        .as_array()
        .expect("GlobalSecondaryIndexes");
    let gsi1 = gsis
        .iter()
        .find(|g| g["IndexName"] == "GSI1")
        .expect("no GSI1 index");
    assert_eq!(gsi1["IndexName"].as_str(), gsi1pk.strip_suffix("PK"));
    assert_eq!(schema(&gsi1["KeySchema"]), pair(gsi1pk, gsi1sk));
    assert_eq!(gsi1["Projection"]["ProjectionType"], "ALL");

    // Every key attribute is a string, and no other attribute is declared.
    let defs: BTreeMap<&str, &str> = props["AttributeDefinitions"]
        .as_array()
        .expect("AttributeDefinitions")
        .iter()
        .map(|d| {
            (
                d["AttributeName"].as_str().unwrap(),
                d["AttributeType"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        defs,
        BTreeMap::from([(pk, "S"), (sk, "S"), (gsi1pk, "S"), (gsi1sk, "S")])
    );

    assert_eq!(
        props["TimeToLiveSpecification"],
        json!({"AttributeName": ttl, "Enabled": true})
    );
}

#[test]
fn every_function_gets_every_variable_the_aws_config_reads() {
    let tpl = template();
    let mut required: Vec<String> = AWS_VARS.iter().map(|v| v.to_string()).collect();
    required.extend(QUEUES.iter().map(|q| queue_url_var(q)));
    for f in functions(&tpl).values() {
        for var in &required {
            let value = f.environment.get(var);
            assert!(
                value.is_some_and(|v| v.as_str() != Some("") && !v.is_null()),
                "{}: {var} is not set (Globals or the function's Environment)",
                f.logical_id
            );
        }
        assert_eq!(
            f.environment.get(BACKEND_VAR),
            Some(&json!("aws")),
            "{}",
            f.logical_id
        );

        // Each points at a resource of the right kind.
        let expect = |var: &str, ty: &str| {
            let v = &f.environment[var];
            let id = referenced_resource(v)
                .unwrap_or_else(|| panic!("{}: {var} = {v} is not a Ref/GetAtt", f.logical_id));
            assert_eq!(
                resource_type(&tpl, id).as_deref(),
                Some(ty),
                "{}: {var} = {v}",
                f.logical_id
            );
        };
        expect("PLASMA_TABLE", "AWS::DynamoDB::Table");
        expect("PLASMA_BUCKET", "AWS::S3::Bucket");
        expect("PLASMA_EVENT_BUS", "AWS::Events::EventBus");
        expect("PLASMA_SCHEDULER_GROUP", "AWS::Scheduler::ScheduleGroup");
        expect("PLASMA_SCHEDULER_ROLE_ARN", "AWS::IAM::Role");
        assert_eq!(
            f.environment["PLASMA_SCHEDULER_ROLE_ARN"]["Fn::GetAtt"][1],
            "Arn"
        );
        for q in QUEUES {
            expect(&queue_url_var(q), "AWS::SQS::Queue");
            // Ref of a queue is its URL, which is what the code wants.
            assert!(
                f.environment[&queue_url_var(q)].get("Ref").is_some(),
                "{}: {q} must be !Ref",
                f.logical_id
            );
        }

        // And the real reader accepts the environment as CloudFormation would fill it in.
        let env: BTreeMap<String, String> = f
            .environment
            .iter()
            .map(|(k, v)| (k.clone(), placeholder(&tpl, v)))
            .collect();
        let config = Config::from_lookup(|k| env.get(k).cloned(), &QUEUES)
            .unwrap_or_else(|e| panic!("{}: {e}", f.logical_id));
        let Backend::Aws(aws) = config.backend else {
            panic!("{}: not the AWS backend", f.logical_id)
        };
        assert_eq!(
            aws.queue_urls
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            QUEUES
        );
    }
}

/// Guards [`AWS_VARS`]: a variable config.rs starts to require must be added there (and so to
/// the template).
#[test]
fn aws_config_reads_only_known_variables() {
    let path = repo_root().join("shared/core/src/config.rs");
    let source = std::fs::read_to_string(&path).unwrap();
    let mut read = BTreeSet::new();
    for chunk in source.split("required(\"").skip(1) {
        read.insert(chunk.split('"').next().unwrap().to_string());
    }
    assert!(
        !read.is_empty(),
        "no required(\"...\") calls found in {}",
        path.display()
    );
    let known: BTreeSet<String> = AWS_VARS.iter().map(|v| v.to_string()).collect();
    assert!(
        read.is_subset(&known),
        "config.rs requires {read:?}, tests know {known:?}"
    );
}

#[test]
fn queues_redrive_and_outlast_their_consumers() {
    let tpl = template();
    let names = queue_names(&tpl);
    let id_of = |name: &str| {
        names
            .iter()
            .find(|(_, n)| n.as_str() == name)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("no PLASMA_QUEUE_*_URL for {name}"))
    };
    let redriven = plasma_platform::topology::queues()
        .into_iter()
        .filter_map(|q| Some((q.name, q.dead_letter?)));
    for (queue, dlq) in redriven {
        let (queue, dlq) = (queue.as_str(), dlq.as_str());
        let props = &resources(&tpl)[&id_of(queue)]["Properties"];
        let redrive = &props["RedrivePolicy"];
        assert_eq!(
            referenced_resource(&redrive["deadLetterTargetArn"]),
            Some(id_of(dlq).as_str()),
            "{queue}"
        );
        assert_eq!(redrive["maxReceiveCount"], 5, "{queue}");
        let dead = &resources(&tpl)[&id_of(dlq)]["Properties"];
        assert_eq!(dead["MessageRetentionPeriod"], 14 * 24 * 3600, "{dlq}");
    }

    // Lambda's guidance: a queue's visibility timeout is at least 6x its consumer's timeout.
    let mut consumers = 0;
    for f in functions(&tpl).values() {
        for (event, e) in f.events() {
            if e["Type"] != "SQS" {
                continue;
            }
            consumers += 1;
            let p = &e["Properties"];
            let queue = referenced_resource(&p["Queue"])
                .unwrap_or_else(|| panic!("{}.{event}: Queue is not a reference", f.logical_id));
            let visibility = resources(&tpl)[queue]["Properties"]["VisibilityTimeout"]
                .as_u64()
                .unwrap_or_else(|| panic!("{queue}: VisibilityTimeout"));
            let timeout = f
                .property(&tpl, "Timeout")
                .and_then(Value::as_u64)
                .expect("Timeout");
            assert!(
                visibility >= 6 * timeout,
                "{} on {queue}: {visibility}s < 6 x {timeout}s",
                f.logical_id
            );
            assert_eq!(
                p["FunctionResponseTypes"],
                json!(["ReportBatchItemFailures"]),
                "{}.{event}",
                f.logical_id
            );
        }
    }
    assert!(consumers > 0, "nothing consumes a queue");
}

#[test]
fn rules_and_schedules_are_readable_and_samples_fit_them() {
    let tpl = template();

    let rules = event_rules(&tpl);
    let audit = rules.get("AuditRule").expect("no AuditRule");
    assert_eq!(audit.name, "audit");
    assert_eq!(rule_name("BrandPublishedRule"), "brand-published");
    assert_eq!(audit.target_queues, vec!["jobs".to_string()]);
    assert_eq!(audit.consumers, vec!["worker".to_string()]);
    assert!(
        audit.event_bus.is_some(),
        "AuditRule must be on the custom bus"
    );

    let schedules = schedules_by_function(&tpl);
    assert!(!schedules.is_empty(), "no schedules");
    for (function, exprs) in &schedules {
        for expr in exprs {
            ScheduleExpression::parse(expr).unwrap_or_else(|e| panic!("{function}: {e}"));
        }
    }

    // Each record of the worker's sample is an EventBridge envelope some rule routes to a queue
    // the worker reads.
    let worker = read_json(&repo_root().join("events/worker.json"));
    let records = worker["Records"].as_array().expect("Records");
    assert!(!records.is_empty());
    for record in records {
        assert_eq!(record["eventSource"], "aws:sqs");
        let envelope: EventEnvelope =
            serde_json::from_str(record["body"].as_str().expect("body is a string"))
                .expect("body is an EventBridge envelope");
        let routed = rules.values().any(|r| {
            let any = |field: &str, v: &str| {
                r.pattern[field]
                    .as_array()
                    .is_none_or(|a| a.iter().any(|x| x == v))
            };
            any("source", &envelope.source)
                && any("detail-type", &envelope.detail_type)
                && r.consumers.contains(&"worker".to_string())
        });
        assert!(
            routed,
            "no rule routes {} / {} to the worker",
            envelope.source, envelope.detail_type
        );
    }

    // The scheduled function's sample is what an EventBridge schedule rule delivers.
    for function in schedules.keys() {
        for sample in sample_events(function) {
            let event = read_json(&sample);
            assert_eq!(
                event["detail-type"],
                "Scheduled Event",
                "{}",
                sample.display()
            );
            assert_eq!(event["source"], "aws.events", "{}", sample.display());
        }
    }
}

#[test]
fn short_form_tags_become_long_form() {
    let v =
        parse_template("a: !Ref X\nb: !GetAtt Q.Arn\nc: !Sub 'x-${Y}'\nd: !Split [',', !Ref Z]\n");
    assert_eq!(
        v,
        json!({
            "a": {"Ref": "X"},
            "b": {"Fn::GetAtt": ["Q", "Arn"]},
            "c": {"Fn::Sub": "x-${Y}"},
            "d": {"Fn::Split": [",", {"Ref": "Z"}]},
        })
    );
}

#[test]
fn api_routes_are_authorized_except_health() {
    let tpl = template();
    let fns = functions(&tpl);
    let api = fns.get("api").expect("no api function");
    let mut routes = BTreeMap::new();
    for (_, e) in api.events() {
        if e["Type"] == "HttpApi" {
            let p = &e["Properties"];
            let route = format!(
                "{} {}",
                p["Method"].as_str().unwrap_or("ANY"),
                p["Path"].as_str().unwrap_or("?")
            );
            routes.insert(route, p["Auth"]["Authorizer"].as_str().map(str::to_string));
        }
    }
    assert_eq!(routes.get("ANY /"), Some(&None), "{routes:?}");
    assert_eq!(routes.get("ANY /{proxy+}"), Some(&None), "{routes:?}");
    assert_eq!(
        routes.get("GET /health"),
        Some(&Some("NONE".to_string())),
        "{routes:?}"
    );
    let api_id = api
        .events()
        .iter()
        .find_map(|(_, e)| referenced_resource(&e["Properties"]["ApiId"]).map(str::to_string));
    let http_api =
        &resources(&tpl)[&api_id.expect("HttpApi events name their ApiId")]["Properties"];
    let default = http_api["Auth"]["DefaultAuthorizer"]
        .as_str()
        .expect("no DefaultAuthorizer");
    assert!(http_api["Auth"]["Authorizers"][default]["JwtConfiguration"].is_object());

    let health = read_json(&repo_root().join("events/api-health.json"));
    assert_eq!(health["version"], "2.0");
    assert_eq!(health["routeKey"], "GET /health");
    assert!(health["requestContext"].get("authorizer").is_none());
    let authorized = read_json(&repo_root().join("events/api-authorized.json"));
    assert_eq!(authorized["version"], "2.0");
    assert!(authorized["requestContext"]["authorizer"]["jwt"]["claims"]["sub"].is_string());
}

/// The embedded runtime enforces `plasma_platform::topology`; AWS gets template.yaml. They
/// must describe the same queues, rules and schedules.
#[test]
fn template_declares_the_code_topology() {
    use plasma_platform::topology;
    let tpl = template();

    let names = queue_names(&tpl);
    let declared: BTreeSet<&str> = names.values().map(String::as_str).collect();
    let coded: BTreeSet<&str> = topology::QUEUE_NAMES.into_iter().collect();
    assert_eq!(declared, coded, "queues");
    for spec in topology::queues() {
        let id = names
            .iter()
            .find(|(_, n)| **n == spec.name)
            .map(|(id, _)| id)
            .unwrap();
        let props = &resources(&tpl)[id]["Properties"];
        if let Some(dlq) = &spec.dead_letter {
            assert_eq!(
                props["RedrivePolicy"]["maxReceiveCount"], spec.max_receives,
                "{}",
                spec.name
            );
            let target =
                referenced_resource(&props["RedrivePolicy"]["deadLetterTargetArn"]).unwrap();
            assert_eq!(&names[target], dlq, "{}", spec.name);
            assert_eq!(
                props["VisibilityTimeout"],
                spec.visibility_timeout.as_secs(),
                "{}",
                spec.name
            );
        }
    }

    let rules = event_rules(&tpl);
    assert_eq!(rules.len(), topology::rules().len(), "rules: {rules:?}");
    for rule in topology::rules() {
        let declared = rules
            .values()
            .find(|r| r.name == rule.name)
            .unwrap_or_else(|| panic!("rule {} is not in template.yaml", rule.name));
        assert_eq!(declared.pattern, rule.event_pattern(), "{}", rule.name);
        assert_eq!(
            declared.target_queues,
            vec![rule.target_queue.clone()],
            "{}",
            rule.name
        );
    }

    let schedules = schedules_by_function(&tpl);
    let coded: BTreeMap<String, Vec<String>> = plasma_platform::schedules::SCHEDULES
        .iter()
        .map(|s| (s.name.to_owned(), vec![s.expression.to_owned()]))
        .collect();
    assert_eq!(schedules, coded, "recurring schedules");
}

/// `PLASMA_KMS_KEY_ID` is optional, so `every_function_gets_every_variable_the_aws_config_reads`
/// does not cover it: every function gets the rotated secrets key; the api and worker may use it.
#[test]
fn secrets_key_reaches_the_functions() {
    let tpl = template();
    for f in functions(&tpl).values() {
        let value = f
            .environment
            .get(KMS_KEY_ID_VAR)
            .unwrap_or_else(|| panic!("{}: {KMS_KEY_ID_VAR} is not set", f.logical_id));
        let key = referenced_resource(value)
            .filter(|id| resource_type(&tpl, id).as_deref() == Some("AWS::KMS::Key"))
            .unwrap_or_else(|| {
                panic!(
                    "{}: {KMS_KEY_ID_VAR} = {value} is not a KMS key",
                    f.logical_id
                )
            });
        let props = &resources(&tpl)[key]["Properties"];
        assert_eq!(props["EnableKeyRotation"], true, "{key}");
        assert_eq!(props["KeyUsage"], "ENCRYPT_DECRYPT", "{key}");

        let env: BTreeMap<String, String> = f
            .environment
            .iter()
            .map(|(k, v)| (k.clone(), placeholder(&tpl, v)))
            .collect();
        let Backend::Aws(aws) = Config::from_lookup(|k| env.get(k).cloned(), &QUEUES)
            .unwrap_or_else(|e| panic!("{}: {e}", f.logical_id))
            .backend
        else {
            panic!("{}: not the AWS backend", f.logical_id)
        };
        assert!(aws.kms_key_id.is_some(), "{}", f.logical_id);

        if ["api", "worker"].contains(&f.name.as_str()) {
            let policies = f.properties["Policies"].as_array().expect("Policies");
            for template in ["KMSEncryptPolicy", "KMSDecryptPolicy"] {
                assert!(
                    policies
                        .iter()
                        .any(|p| referenced_resource(&p[template]["KeyId"]) == Some(key)),
                    "{}: no {template} on {key}",
                    f.logical_id
                );
            }
        }
    }
}

/// The example workflow template.yaml deploys is the fixture compiled by today's compiler,
/// its Task states pointed at agent-step through `DefinitionSubstitutions`. Regenerate the
/// file with `PLASMA_UPDATE_ASL=1 cargo test -p plasma-tests --test platform example_state`.
#[test]
fn the_example_state_machine_is_the_compiled_fixture_and_runs_as_agent_step() {
    let root = repo_root();
    let fixture = root.join("shared/workflow/src/tests/fixtures/research_and_draft.yaml");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let definition = plasma_workflow::parse(&text, plasma_workflow::Format::Yaml).unwrap();
    let compiled =
        plasma_workflow::compile_asl(&definition, plasma_agent::routes::STEP_FUNCTION_PLACEHOLDER);
    let path = root.join("infra/workflows/research-and-draft.asl.json");
    if std::env::var_os("PLASMA_UPDATE_ASL").is_some() {
        let pretty = serde_json::to_string_pretty(&compiled).unwrap() + "\n";
        std::fs::write(&path, pretty).unwrap();
    }
    assert_eq!(
        read_json(&path),
        compiled,
        "{} is stale; regenerate it (see this test's doc comment)",
        path.display()
    );

    let tpl = template();
    let machine = &resources(&tpl)["AgentExampleStateMachine"]["Properties"];
    assert_eq!(
        machine["DefinitionUri"],
        "infra/workflows/research-and-draft.asl.json"
    );
    assert_eq!(
        machine["DefinitionSubstitutions"]["AgentStepFunctionArn"],
        json!({"Fn::GetAtt": ["AgentStepFunction", "Arn"]})
    );
    assert_eq!(
        machine["Role"],
        json!({"Fn::GetAtt": ["AgentStatesRole", "Arn"]})
    );
    let api = &resources(&tpl)["ApiFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(
        api[plasma_platform::settings::AGENT_STEP_FUNCTION_VAR],
        json!({"Fn::GetAtt": ["AgentStepFunction", "Arn"]})
    );
    assert_eq!(
        api[plasma_platform::settings::STATES_ROLE_VAR],
        json!({"Fn::GetAtt": ["AgentStatesRole", "Arn"]})
    );
    let invoke = &resources(&tpl)["AgentStatesRole"]["Properties"]["Policies"][0]["PolicyDocument"]
        ["Statement"][0];
    assert_eq!(invoke["Action"], "lambda:InvokeFunction");
}

/// The dashboard answers `/` and `/app...` itself, checking its session cookie: those routes
/// skip the JWT authorizer a browser can't satisfy; everything else stays the api's.
#[test]
fn the_web_function_serves_the_dashboard_routes_without_the_authorizer() {
    let tpl = template();
    let fns = functions(&tpl);
    let web = fns.get("web").expect("no web function");
    let mut routes = BTreeSet::new();
    for (_, e) in web.events() {
        assert_eq!(e["Type"], "HttpApi");
        let p = &e["Properties"];
        assert_eq!(p["Auth"]["Authorizer"], "NONE", "{e}");
        assert_eq!(p["ApiId"], json!({"Ref": "HttpApi"}));
        routes.insert(format!(
            "{} {}",
            p["Method"].as_str().unwrap(),
            p["Path"].as_str().unwrap()
        ));
    }
    let expected: BTreeSet<String> = ["GET /", "ANY /app", "ANY /app/{proxy+}"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(routes, expected);
    let env = &resources(&tpl)["WebFunction"]["Properties"]["Environment"]["Variables"];
    for var in [
        plasma_web::ISSUER_VAR,
        plasma_web::CLIENT_ID_VAR,
        plasma_web::PUBLIC_URL_VAR,
        "PLASMA_JWT_ISSUERS",
    ] {
        assert!(env.get(var).is_some(), "WebFunction lacks {var}");
    }
}
