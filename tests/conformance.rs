//! Conformance suites against both adapters: every case of `plasma-conformance` runs once on
//! the embedded backend (fresh temp dir) and once on AWS (fresh resources on moto), as
//! `<port>::embedded::<case>` and `<port>::aws::<case>`. Cases that only make sense on one
//! backend live in the files below.
//!
//! Run: `cargo test -p plasma-tests --test conformance` (add `embedded::` or `aws::` to filter).

#[path = "conformance/aws_only.rs"]
mod aws_only;
#[path = "conformance/cipher_keys.rs"]
mod cipher_keys;
#[path = "conformance/embedded_only.rs"]
mod embedded_only;

// Every case runs with the same queues and rules on both backends.
use plasma_conformance::events::rules;
use plasma_conformance::queue::specs;

/// Expands `port: case(field, ...)` into one `#[tokio::test]` per backend, handing the case
/// the named fields of `plasma_tests::ports::Ports`.
macro_rules! on_both_backends {
    ($($port:ident { $($case:ident($($field:ident),+);)+ })+) => {$(
        mod $port {
            mod embedded {
                $(#[tokio::test]
                async fn $case() {
                    let p = plasma_tests::ports::embedded(crate::specs(), crate::rules()).await;
                    plasma_conformance::$port::$case($(&*p.$field),+).await;
                })+
            }
            mod aws {
                $(#[tokio::test]
                async fn $case() {
                    let p = plasma_tests::ports::aws(crate::specs(), crate::rules()).await;
                    plasma_conformance::$port::$case($(&*p.$field),+).await;
                })+
            }
        }
    )+};
}

on_both_backends! {
    items {
        put_get_delete_round_trip(items);
        conditional_put_not_exists_conflicts(items);
        optimistic_concurrency_on_version(items);
        update_set_remove_add_and_create(items);
        query_sort_key_conditions(items);
        query_gsi1(items);
        query_pagination_returns_each_item_once(items);
        batch_get_and_write_beyond_limits(items);
        transaction_is_all_or_nothing(items);
        transaction_over_100_ops_refused(items);
        expired_items_are_invisible(items);
        update_over_expired_item_starts_fresh(items);
    }
    blobs {
        put_get_head_delete(blobs);
        list_by_prefix_paginates(blobs);
        invalid_keys_refused(blobs);
        presign_upload_expires_in_future(blobs);
        get_bounded_stops_at_the_bound(blobs);
    }
    queue {
        send_receive_delete(queue);
        undeleted_message_is_redelivered(queue);
        dead_letters_after_max_receives(queue);
        delay_hides_message_until_elapsed(queue);
        send_batch_of_25(queue);
        change_visibility_zero_releases(queue);
        depth_counts_each_state(queue);
        bad_requests_refused(queue);
    }
    events {
        matching_event_reaches_rule_target(bus, queue);
        publish_beyond_one_put_events_call(bus, queue);
    }
    scheduler {
        schedule_get_list_replace_cancel(scheduler);
        invalid_names_refused(scheduler);
    }
    cipher {
        round_trip(cipher);
        empty_plaintext_refused(cipher);
        other_context_refused(cipher);
        other_tenant_refused(cipher);
        altered_ciphertext_refused(cipher);
        oversize_refused(cipher);
        encryptions_differ(cipher);
        health_reports_the_key(cipher);
    }
}
