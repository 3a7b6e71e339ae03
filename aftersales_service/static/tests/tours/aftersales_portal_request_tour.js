import { registry } from "@web/core/registry";

/** A customer asks for service from the portal and sees the request. */
registry.category("web_tour.tours").add("aftersales_portal_request_tour", {
    steps: () => [
        {
            content: "Write the subject",
            trigger: "form input[name='title']",
            run: "edit Leaking valve",
        },
        {
            content: "Choose the request type",
            trigger: "form select[name='request_type']",
            run: "select maintenance",
        },
        {
            content: "Describe the problem",
            trigger: "form textarea[name='description']",
            run: "edit Water under the valve since Monday",
        },
        {
            content: "Send the request",
            trigger: "form button[type='submit']",
            run: "click",
        },
        {
            content: "The request is registered and shown",
            trigger: ".card-header:contains('Leaking valve')",
        },
        {
            content: "The conversation with the after-sales team is loaded",
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
    ],
});
