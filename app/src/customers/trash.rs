//! The Trash: deleted customers, which an Admin can restore.

use super::api::{list_trash, RestoreCustomer};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::ui::{date_time, CursorEmpty, CursorPager, CursorPages, ErrorNotice};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn TrashPage() -> impl IntoView {
    let restore = ServerAction::<RestoreCustomer>::new();
    // A page at a time: a supplier that cleans up its customers may have thousands here.
    let pages = CursorPages::new();
    let trash = Resource::new(
        move || (restore.version().get(), pages.after()),
        |(_, after)| list_trash(after),
    );
    let user = use_context::<Resource<Result<Option<CurrentUser>, AppError>>>();
    let is_admin = move || async move {
        match user {
            Some(user) => matches!(user.await, Ok(Some(u)) if u.is_admin()),
            None => false,
        }
    };
    view! {
        <section class="page">
            <p class="crumbs"><A href="/customers">"Customers"</A>" › Trash"</p>
            <h1>"Trash"</h1>
            <p class="muted">"Deleted customers stay here until an Admin restores them."</p>
            {move || restore.value().get().map(|result| match result {
                Ok(()) => view! { <p class="notice success" role="status">"Restored. The customer is back in the list."</p> }.into_any(),
                Err(error) => view! { <ErrorNotice error/> }.into_any(),
            })}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let admin = is_admin().await;
                    match trash.await {
                        Ok(page) if page.rows.is_empty() => view! {
                            <CursorEmpty pages none="The Trash is empty." no_more="Nothing more in the Trash." label="Pages of the Trash"/>
                        }.into_any(),
                        Ok(page) => view! {
                            <table class="list">
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Account #"</th><th scope="col">"City"</th>
                                    <th scope="col">"Deleted"</th><th scope="col">"By"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {page.rows.into_iter().map(|row| {
                                        let id = row.id;
                                        let label = format!("Restore {}", row.name);
                                        view! {
                                            <tr>
                                                <td>{row.name}</td>
                                                <td>{row.account_number.unwrap_or_default()}</td>
                                                <td>{row.city}</td>
                                                <td>{date_time(row.deleted_at)}</td>
                                                <td>{row.deleted_by.unwrap_or_default()}</td>
                                                <td>{admin.then(|| view! {
                                                    <button type="button" aria-label=label
                                                        on:click=move |_| { restore.dispatch(RestoreCustomer { id }); }>"Restore"</button>
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <CursorPager pages next=page.next label="Pages of the Trash"/>
                            {(!admin).then(|| view! { <p class="muted">"Only an Admin can restore customers."</p> })}
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
