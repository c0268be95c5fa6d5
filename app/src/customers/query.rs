//! The state of the customers list, as it is held in the page's URL.

use crate::integration::IntegrationStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusFilter {
    #[default]
    All,
    Active,
    Inactive,
    /// Registered at the portal, waiting for staff to approve them.
    Pending,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortKey {
    #[default]
    NameAsc,
    NameDesc,
    NewestFirst,
    OldestFirst,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [
        SortKey::NameAsc,
        SortKey::NameDesc,
        SortKey::NewestFirst,
        SortKey::OldestFirst,
    ];

    pub fn param(self) -> &'static str {
        match self {
            SortKey::NameAsc => "name",
            SortKey::NameDesc => "name-desc",
            SortKey::NewestFirst => "newest",
            SortKey::OldestFirst => "oldest",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::NameAsc => "Name A–Z",
            SortKey::NameDesc => "Name Z–A",
            SortKey::NewestFirst => "Newest first",
            SortKey::OldestFirst => "Oldest first",
        }
    }

    pub fn ascending(self) -> bool {
        matches!(self, SortKey::NameAsc | SortKey::OldestFirst)
    }

    pub fn by_name(self) -> bool {
        matches!(self, SortKey::NameAsc | SortKey::NameDesc)
    }
}

impl StatusFilter {
    pub fn param(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Active => "active",
            StatusFilter::Inactive => "inactive",
            StatusFilter::Pending => "pending",
        }
    }
}

/// Which page of which search. Unknown or malformed parameters fall back to the defaults, so a
/// hand-edited or old link still opens a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    pub q: String,
    pub status: StatusFilter,
    pub sort: SortKey,
    /// The page starts after this customer (the "Next" link).
    pub after: Option<i64>,
    /// The page ends before this customer (the "Previous" link).
    pub before: Option<i64>,
    /// The last page.
    pub last: bool,
    /// Only customers in this group.
    pub group: Option<i64>,
    /// Only customers at this integration status.
    pub integration: Option<IntegrationStatus>,
    /// Only the sub-accounts of this customer.
    pub parent: Option<i64>,
}

impl ListQuery {
    /// Whether a filter (status, group, integration status, parent account) is chosen.
    pub fn filtered(&self) -> bool {
        self.status != StatusFilter::All
            || self.group.is_some()
            || self.integration.is_some()
            || self.parent.is_some()
    }

    /// Whether a chosen filter leaves few customers: a group, an integration status, a parent
    /// account or approval pending (not Active or Inactive, which leave many).
    pub fn narrowing(&self) -> bool {
        self.group.is_some()
            || self.integration.is_some()
            || self.parent.is_some()
            || self.status == StatusFilter::Pending
    }

    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let status = match get("status").as_deref() {
            Some("active") => StatusFilter::Active,
            Some("inactive") => StatusFilter::Inactive,
            Some("pending") => StatusFilter::Pending,
            _ => StatusFilter::All,
        };
        let sort = get("sort")
            .and_then(|s| SortKey::ALL.into_iter().find(|k| k.param() == s))
            .unwrap_or_default();
        let id = |name: &str| get(name).and_then(|v| v.parse::<i64>().ok());
        let last = get("page").as_deref() == Some("last");
        let (after, before) = if last {
            (None, None)
        } else {
            (id("after"), id("before"))
        };
        ListQuery {
            q: get("q").unwrap_or_default().trim().chars().take(100).collect(),
            status,
            sort,
            after,
            before: if after.is_some() { None } else { before },
            last,
            group: id("group"),
            integration: get("integration").and_then(|k| IntegrationStatus::from_key(&k)),
            parent: id("parent"),
        }
    }

    /// The URL of this search's first page, with another page's position added by the caller.
    fn base_params(&self) -> BTreeMap<&'static str, String> {
        let mut params = BTreeMap::new();
        if !self.q.is_empty() {
            params.insert("q", self.q.clone());
        }
        if self.status != StatusFilter::All {
            params.insert("status", self.status.param().to_string());
        }
        if self.sort != SortKey::NameAsc {
            params.insert("sort", self.sort.param().to_string());
        }
        if let Some(group) = self.group {
            params.insert("group", group.to_string());
        }
        if let Some(integration) = self.integration {
            params.insert("integration", integration.key().to_string());
        }
        if let Some(parent) = self.parent {
            params.insert("parent", parent.to_string());
        }
        params
    }

    pub fn href(&self) -> String {
        let mut params = self.base_params();
        if let Some(after) = self.after {
            params.insert("after", after.to_string());
        }
        if let Some(before) = self.before {
            params.insert("before", before.to_string());
        }
        if self.last {
            params.insert("page", "last".into());
        }
        to_href(&params)
    }

    /// The export of this search (every page): `/customers/export.csv?…` or `.xlsx`.
    pub fn export_href(&self, extension: &str) -> String {
        let href = to_href(&self.base_params());
        match href.split_once('?') {
            Some((_, params)) => format!("/customers/export.{extension}?{params}"),
            None => format!("/customers/export.{extension}"),
        }
    }

    pub fn first_page(&self) -> ListQuery {
        ListQuery {
            after: None,
            before: None,
            last: false,
            ..self.clone()
        }
    }

    pub fn page_after(&self, id: i64) -> ListQuery {
        ListQuery {
            after: Some(id),
            ..self.first_page()
        }
    }

    pub fn page_before(&self, id: i64) -> ListQuery {
        ListQuery {
            before: Some(id),
            ..self.first_page()
        }
    }

    pub fn last_page(&self) -> ListQuery {
        ListQuery {
            last: true,
            ..self.first_page()
        }
    }
}

fn to_href(params: &BTreeMap<&'static str, String>) -> String {
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    if query.is_empty() {
        "/customers".into()
    } else {
        format!("/customers?{}", query.join("&"))
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> ListQuery {
        ListQuery::from_params(|k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn a_url_round_trips_through_the_query() {
        let query = parse(&[
            ("q", "Coffee & Co"),
            ("status", "active"),
            ("sort", "newest"),
            ("after", "42"),
        ]);
        assert_eq!(
            query.href(),
            "/customers?after=42&q=Coffee+%26+Co&sort=newest&status=active"
        );
        assert_eq!(query.status, StatusFilter::Active);
        assert_eq!(query.after, Some(42));
    }

    #[test]
    fn group_and_integration_filters_round_trip() {
        let query = parse(&[("group", "7"), ("integration", "requested"), ("after", "3")]);
        assert_eq!(query.group, Some(7));
        assert_eq!(query.integration, Some(IntegrationStatus::Requested));
        assert_eq!(
            query.first_page().href(),
            "/customers?group=7&integration=requested"
        );
        assert_eq!(
            query.export_href("csv"),
            "/customers/export.csv?group=7&integration=requested"
        );
    }

    #[test]
    fn malformed_parameters_fall_back_to_defaults() {
        let query = parse(&[
            ("status", "zzz"),
            ("sort", "drop table"),
            ("after", "x"),
            ("group", "g"),
            ("integration", "on"),
        ]);
        assert_eq!(query, ListQuery::default());
        assert_eq!(query.href(), "/customers");
    }

    #[test]
    fn paging_links_keep_the_search_but_not_the_position() {
        let query = parse(&[("q", "uptown"), ("before", "9")]);
        assert_eq!(query.page_after(10).href(), "/customers?after=10&q=uptown");
        assert_eq!(query.last_page().href(), "/customers?page=last&q=uptown");
        assert_eq!(query.first_page().href(), "/customers?q=uptown");
    }
}
