import { registry } from "@web/core/registry";

/** Sales registers a phone call (来电登记) and submits it to quality review. */
registry.category("web_tour.tours").add("aftersales_phone_intake_tour", {
    steps: () => [
        {
            content: "Create a ticket",
            trigger: ".o_control_panel_main_buttons button.o-kanban-button-new, .o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Pick the customer who calls",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Tour Caller Ltd",
        },
        {
            content: "Select the customer",
            trigger: ".o-autocomplete--dropdown-menu a:contains('Tour Caller Ltd')",
            run: "click",
        },
        {
            content: "The customer's phone comes from the contact",
            trigger: ".o_field_widget[name='phone'] input:value('+86 10 5555 0100')",
        },
        {
            content: "Write what the customer reports",
            trigger: ".o_field_widget[name='title'] input",
            run: "edit Compressor trips after ten minutes",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The ticket got its reference",
            trigger: ".o_field_widget[name='name']:contains('AS')",
        },
        {
            content: "Submit for quality review",
            trigger: ".o_statusbar_buttons button[name='action_submit_review']",
            run: "click",
        },
        {
            content: "The ticket waits for quality",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Quality Review')",
        },
    ],
});
