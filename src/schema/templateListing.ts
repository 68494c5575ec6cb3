import { BUTTON_KINDS, HEADER_FORMATS, parametersOf, type TemplateButtonParameter, type TemplateParameters } from "../domain/templateListing.ts";
import { refreshTemplates } from "../resolvers/refreshTemplates.ts";
import { templateComponentsColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped } from "./listBounds.ts";

const HeaderFormatEnum = builder.enumType("TemplateHeaderFormat", {
  description: "A template header's format, as Meta lists it; OTHER: a format this version does not know (the components have it).",
  values: HEADER_FORMATS,
});

const ButtonKindEnum = builder.enumType("TemplateButtonKind", {
  description: "A button that takes a value when sending: URL (the variable end of its URL) or COPY_CODE (the code).",
  values: BUTTON_KINDS,
});

const TemplateButtonParameterRef = builder.objectRef<TemplateButtonParameter>("TemplateButtonParameter").implement({
  description:
    'A button to fill when sending, as a sendMessage template component: {"type":"button","sub_type":"url","index":"0",' +
    '"parameters":[{"type":"text","text":"…"}]} or {"type":"button","sub_type":"copy_code","index":"1","parameters":' +
    '[{"type":"coupon_code","coupon_code":"…"}]}.',
  fields: (t) => ({
    index: t.exposeInt("index", { description: "The button's position among the template's buttons (Meta's `index`)." }),
    kind: t.field({ type: ButtonKindEnum, resolve: (b) => b.kind }),
    variables: t.stringList({
      ...capped(LIST_CAPS.templateButtonVariables, 'A URL button\'s variable ({{1}} → "1"); none for COPY_CODE (its value is the code).'),
      resolve: (b) => b.variables.slice(0, LIST_CAPS.templateButtonVariables),
    }),
  }),
});

const TemplateParametersRef = builder.objectRef<TemplateParameters>("TemplateParameters").implement({
  description:
    "What a sender fills in, read from the listed components: the header's format (a media header needs its media, a location " +
    "header its place), the variables of a text header and of the body, in order, and the buttons that take a value. Each variable is one parameter of the sendMessage template's " +
    'component ({"type":"body","parameters":[{"type":"text","text":"…"}]}).',
  fields: (t) => ({
    headerFormat: t.field({ type: HeaderFormatEnum, nullable: true, description: "Null: no header.", resolve: (p) => p.headerFormat }),
    header: t.stringList({
      ...capped(LIST_CAPS.templateVariables, 'A TEXT header\'s variables ({{1}} → "1", a named one → its name).'),
      resolve: (p) => p.header.slice(0, LIST_CAPS.templateVariables),
    }),
    body: t.stringList({
      ...capped(LIST_CAPS.templateVariables, 'The body\'s variables, in order ({{1}}, {{2}}, … → "1", "2"; named ones by name).'),
      resolve: (p) => p.body.slice(0, LIST_CAPS.templateVariables),
    }),
    buttons: t.field({
      type: [TemplateButtonParameterRef],
      ...capped(LIST_CAPS.templateButtons, "The buttons that take a value when sending, in the template's order."),
      resolve: (p) => p.buttons.slice(0, LIST_CAPS.templateButtons),
    }),
  }),
});

builder.prismaObjectFields("MessageTemplate", (t) => ({
  components: t.field({
    type: "JSON",
    nullable: true,
    description: "The template's components (HEADER, BODY, FOOTER, BUTTONS) as Meta listed them; null: known from webhooks only (never listed).",
    select: { components: true },
    resolve: (m) => templateComponentsColumn.read(m.components),
  }),
  parameters: t.field({
    type: TemplateParametersRef,
    nullable: true,
    description: "What sending it needs filled in, from `components`; null when they are not known.",
    select: { components: true },
    resolve: (m) => {
      const components = templateComponentsColumn.read(m.components);
      return components ? parametersOf(components) : null;
    },
  }),
  listedAt: t.expose("listedAt", {
    type: "DateTime",
    nullable: true,
    description: "When a listing from Meta last named it (when the hub asked); null: known from webhooks only.",
  }),
}));

builder.mutationField("refreshTemplates", (t) =>
  t.prismaField({
    type: ["MessageTemplate"],
    ...capped(
      LIST_CAPS.templates,
      "Lists the WABA's templates from Meta now (GET /{waba-id}/message_templates, every page) and answers them as stored, by " +
        "name and language. Needs the send power. Meta's refusal is META_ERROR (metaCode: 190 token, 100 unknown WABA, …), no " +
        "answer META_UNREACHABLE. See docs/sending.md#templates.",
    ),
    args: { wabaId: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => refreshTemplates(query, args.wabaId, ctx, LIST_CAPS.templates),
  }),
);
