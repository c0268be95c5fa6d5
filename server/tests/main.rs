//! Every integration test of the server, in one binary: one link of the app instead of one per
//! file, which is most of a cold `make test` on two cores, and a tenth of the disk.

#[macro_use]
mod common;

mod accounts;
mod activity;
mod assets;
mod backups;
mod bulk_requirements;
mod cli;
mod contact_search;
mod contacts;
mod customer_documents;
mod customers;
mod documents;
mod email;
mod every_function;
mod files;
mod groups;
mod hardening;
mod imports;
mod integration;
mod listings;
mod notes;
mod orders_page;
mod outages;
mod paged_tabs;
mod passwords;
mod portal;
mod portal_access;
mod profile;
mod registration;
mod retrieval;
mod search;
mod security_log;
mod sign_ins;
mod two_factor;
mod wizard;
