import { registry } from "@web/core/registry";

/**
 * A technician's visit on a phone (390 × 844, touch): from "My Forms Today"
 * to the form the customer signed. The test checks the records.
 */

/** A small photo, as the phone's camera would give it to the file input. */
async function takePhoto(selector, color) {
    const canvas = document.createElement("canvas");
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext("2d");
    context.fillStyle = color;
    context.fillRect(0, 0, 64, 48);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    const input = document.querySelector(`${selector} input[type=file]`);
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "photo.png", { type: "image/png" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

/** A stroke of the finger on the signature pad. */
function drawWithFinger(canvas) {
    const box = canvas.getBoundingClientRect();
    const points = [
        [0.1, 0.6],
        [0.3, 0.3],
        [0.5, 0.7],
        [0.7, 0.3],
        [0.9, 0.6],
    ];
    const touch = (type, [x, y]) =>
        canvas.dispatchEvent(
            new PointerEvent(type, {
                bubbles: true,
                cancelable: true,
                pointerId: 1,
                pointerType: "touch",
                isPrimary: true,
                buttons: type === "pointerup" ? 0 : 1,
                clientX: box.left + x * box.width,
                clientY: box.top + y * box.height,
            })
        );
    touch("pointerdown", points[0]);
    for (const point of points.slice(1)) {
        touch("pointermove", point);
    }
    touch("pointerup", points.at(-1));
}

/** Reload the page once the tour has moved on: what was typed must be there after it. */
function reloadPage() {
    document.body.classList.add("o_aftersales_reloading");
    setTimeout(() => window.location.reload(), 50);
}

registry.category("web_tour.tours").add("aftersales_phone_visit_tour", {
    steps: () => [
        {
            content: "Today's visit is a card, with a call and a map link",
            trigger: ".o_kanban_record:contains('Phone Customer'):has(a[href='tel:+86 21 5555 0199']):has(a.o_aftersales_map)",
        },
        {
            content: "Today's visits only, in the order they come",
            trigger: ".o_kanban_renderer:not(:has(.o_kanban_record:contains('Tomorrow Customer'))) .o_kanban_record:contains('Phone Customer') ~ .o_kanban_record:contains('Next Customer')",
        },
        {
            content: "The card says the service is free",
            trigger: ".o_kanban_record:contains('Phone Customer'):contains('Free')",
        },
        {
            content: "Open the visit",
            trigger: ".o_kanban_record .o_aftersales_customer:contains('Phone Customer')",
            run: "click",
        },
        {
            content: "The first thing under the title: the arrival",
            trigger: ".o_aftersales_next_step button[name='action_start']",
            run: "click",
        },
        {
            content: "On site, the next step is to complete the visit",
            trigger: ".o_aftersales_next_step button[name='action_done']",
        },
        {
            content: "Add a part",
            trigger: ".o_field_widget[name='part_line_ids'] .o_cp_buttons button",
            run: "click",
        },
        {
            content: "Look the part up",
            trigger: ".modal .o_field_widget[name='product_id'] input",
            run: "click",
        },
        {
            content: "Open the search",
            trigger: ".modal .o_control_panel button:has(i.fa-search)",
            run: "click",
        },
        {
            content: "Scan or type the part's barcode",
            trigger: ".modal .o_searchview_input",
            run: "edit PH-VALVE-01 && press Enter",
        },
        {
            content: "The part is found by its barcode",
            trigger: ".modal .o_kanban_renderer:not(:has(.o_kanban_record:contains('After-Sales Labour'))) .o_kanban_record:contains('Phone Valve')",
            run: "click",
        },
        {
            content: "Two of them",
            trigger: ".modal .o_field_widget[name='quantity'] input",
            run: "edit 2",
        },
        {
            content: "Keep the part",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The part is on the form",
            trigger: ".o_field_widget[name='part_line_ids'] .o_kanban_record:contains('Phone Valve')",
        },
        {
            content: "Photograph the fault",
            trigger: ".o_field_widget[name='fault_photo']",
            run: () => takePhoto(".o_field_widget[name='fault_photo']", "#c0392b"),
        },
        {
            content: "Photograph the finished work",
            trigger: ".o_field_widget[name='fault_photo'] img[src^='data:image']",
            run: () => takePhoto(".o_field_widget[name='work_photo']", "#27ae60"),
        },
        {
            content: "The work time",
            trigger: ".o_field_widget[name='work_photo'] img[src^='data:image']",
            run: "click .o_field_widget[name='labour_hours'] input",
        },
        {
            content: "One hour and a half",
            trigger: ".o_field_widget[name='labour_hours'] input",
            run: "edit 01:30",
        },
        {
            content: "Open the signature page",
            trigger: ".o_notebook a[name='signature']",
            run: "click",
        },
        {
            content: "The customer writes their name",
            trigger: ".o_field_widget[name='signed_by'] input",
            run: "edit Wang Fang",
        },
        {
            content: "The phone rings, the page reloads",
            trigger: ".o_field_widget[name='signed_by'] input",
            run: reloadPage,
        },
        {
            content: "Nothing typed was lost",
            trigger: "body:not(.o_aftersales_reloading) .o_field_widget[name='part_line_ids']:contains('Phone Valve')",
        },
        {
            content: "Back to the signature page",
            trigger: "body:not(.o_aftersales_reloading) .o_notebook a[name='signature']",
            run: "click",
        },
        {
            content: "The name is still there",
            trigger: ".o_field_widget[name='signed_by'] input:value(Wang Fang)",
        },
        {
            content: "Open the signature pad",
            trigger: ".o_field_widget[name='signature'] .o_signature",
            run: "click",
        },
        {
            content: "Sign with a finger",
            trigger: ".modal .o_web_sign_draw_button",
            run: "click",
        },
        {
            content: "The customer signs on the screen",
            trigger: ".modal canvas.o_web_sign_signature",
            run: ({ anchor }) => drawWithFinger(anchor),
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer button.btn-primary:enabled",
            run: "click",
        },
        {
            content: "Photograph the customer's stamp",
            trigger: ".o_field_widget[name='signature'] img[src^='data:image']",
            run: () => takePhoto(".o_field_widget[name='stamp']", "#c0392b"),
        },
        {
            content: "Save the signed form",
            trigger: ".o_field_widget[name='stamp'] img[src^='data:image']",
            run: "click .o_form_button_save",
        },
        {
            content: "Complete the visit",
            trigger: ".o_form_saved .o_aftersales_next_step button[name='action_done']",
            run: "click",
        },
        {
            content: "The form is done: no step is left for the technician",
            trigger: ".o_form_view:not(:has(.o_aftersales_next_step:visible)) .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
