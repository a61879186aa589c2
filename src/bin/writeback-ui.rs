//! The widget's entry point when Trunk builds the demo page: mounts the
//! review UI into the page's `#writeback` element.

fn main() {
    writeback::ui::mount_in_page();
}
