using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace FrontDesk.FakeLine;

public sealed record SchemaError(string Property, string Message)
{
    public override string ToString() => $"{Property}: {Message}";
}

/// <summary>
/// An OpenAPI 3.0 document whose component schemas are checked by JsonSchema.Net. On load they become JSON Schema
/// 2020-12: nullable becomes a null type, a discriminator dispatches on its tag with if/then (a subtype's allOf then
/// names its base without the dispatch, so the base does not dispatch again), $ref siblings go (OpenAPI 3.0 ignores
/// them), and min/maxLength count UTF-16 code units, as LINE counts characters.
/// </summary>
public sealed class OpenApiDocument
{
    const string DiscriminatorMark = "x-discriminator";

    static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.Hierarchical,
        RequireFormatValidation = true,
        ProcessCustomKeywords = true,
        // Error texts in English, whatever the machine's culture.
        Culture = CultureInfo.InvariantCulture,
    };

    readonly List<(Regex Template, string Method, JsonObject Operation)> operations = [];
    readonly JsonObject converted;
    readonly string id;
    readonly ConcurrentDictionary<string, JsonSchema> schemas = new();

    OpenApiDocument(JsonObject root, string name)
    {
        if (root["paths"] is JsonObject paths)
            foreach (var (path, item) in paths)
                if (item is JsonObject methods)
                    foreach (var (method, operation) in methods)
                        if (operation is JsonObject op)
                            operations.Add((TemplateRegex(path), method.ToUpperInvariant(), op));
        id = $"https://fake-line.test/{Uri.EscapeDataString(name)}";
        converted = new JsonObject
        {
            ["$id"] = id,
            ["$defs"] = ConvertComponents(root["components"]?["schemas"] as JsonObject ?? []),
        };
    }

    // Before any schema is read: a keyword unknown at reading stays unknown.
    static OpenApiDocument() => SchemaKeywordRegistry.Register<Utf16LengthKeyword>(FakeLineSchemaContext.Default);

    public static OpenApiDocument Load(string path)
    {
        using var reader = new StreamReader(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        return new OpenApiDocument((JsonObject)ToJson(yaml.Documents[0].RootNode)!, Path.GetFileName(path));
    }

    /// <summary>The messaging API and webhook files in shared/specs/line, found by walking up from the given folder.</summary>
    public static string FindSpec(string fileName, string? from = null)
    {
        foreach (var start in new[] { from, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "specs", "line", fileName);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        throw new FileNotFoundException($"shared/specs/line/{fileName} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>The $ref of the JSON request body of an operation, e.g. ("POST", "/v2/bot/message/push") → PushMessageRequest.</summary>
    public string? RequestSchemaRef(string method, string path)
    {
        foreach (var (template, m, operation) in operations)
            if (m == method && template.IsMatch(path))
                return operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
        return null;
    }

    public bool HasOperation(string method, string path) => operations.Any(o => o.Method == method && o.Template.IsMatch(path));

    public IReadOnlyList<SchemaError> Validate(string schemaName, JsonNode? instance) =>
        ValidateRef($"#/components/schemas/{schemaName}", instance);

    public IReadOnlyList<SchemaError> ValidateRef(string schemaRef, JsonNode? instance)
    {
        // One schema per body type: the whole document with that type at its root.
        var schema = schemas.GetOrAdd(schemaRef, r =>
        {
            var document = (JsonObject)converted.DeepClone();
            document["$id"] = $"{id}/{Uri.EscapeDataString(DefName(r))}";
            document["$ref"] = DefRef(r);
            return JsonSchema.FromText(document.ToJsonString());
        });
        // Re-parsed so that every value is JSON-backed: numbers then convert to any numeric type.
        var normalized = instance is null ? null : JsonNode.Parse(instance.ToJsonString());
        var results = schema.Evaluate(normalized, Options);
        var errors = new List<SchemaError>();
        if (!results.IsValid)
            Collect(results, normalized, DefRef(schemaRef), errors);
        return errors.Distinct().ToList();
    }

    // --- OpenAPI 3.0 to JSON Schema 2020-12 ----------------------------------------------------------------

    static JsonObject ConvertComponents(JsonObject components)
    {
        // Each subtype named in a discriminator's mapping, with the bases whose dispatch its allOf must not repeat.
        var basesOf = new Dictionary<string, HashSet<string>>();
        foreach (var (name, node) in components)
            if (node?["discriminator"]?["mapping"] is JsonObject mapping)
                foreach (var (_, target) in mapping)
                {
                    var subtype = DefName(target!.GetValue<string>());
                    if (!basesOf.TryGetValue(subtype, out var bases))
                        basesOf[subtype] = bases = [];
                    bases.Add(name);
                }

        var defs = new JsonObject();
        foreach (var (name, node) in components)
        {
            var schema = (JsonObject)node!;
            var plain = Convert(schema, basesOf.GetValueOrDefault(name));
            if (schema["discriminator"] is not JsonObject discriminator)
            {
                defs[name] = plain;
                continue;
            }
            defs[name + ".base"] = plain;
            defs[name] = Dispatch(name, discriminator);
        }
        return defs;
    }

    /// <summary>The base, then: an unknown tag is an error, a known one is checked against its subtype.</summary>
    static JsonObject Dispatch(string name, JsonObject discriminator)
    {
        var property = discriminator["propertyName"]!.GetValue<string>();
        var mapping = discriminator["mapping"] as JsonObject ?? [];
        var parts = new JsonArray
        {
            new JsonObject { ["$ref"] = $"#/$defs/{name}.base" },
            new JsonObject
            {
                ["if"] = new JsonObject { ["required"] = new JsonArray(property) },
                ["then"] = new JsonObject
                {
                    ["properties"] = new JsonObject
                    {
                        [property] = new JsonObject
                        {
                            ["enum"] = new JsonArray(mapping.Select(m => (JsonNode?)m.Key).ToArray()),
                            [DiscriminatorMark] = true,
                        },
                    },
                },
            },
        };
        foreach (var (tag, target) in mapping)
            parts.Add(new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["properties"] = new JsonObject { [property] = new JsonObject { ["const"] = tag } },
                    ["required"] = new JsonArray(property),
                },
                ["then"] = new JsonObject { ["$ref"] = DefRef(target!.GetValue<string>()) },
            });
        return new JsonObject { ["allOf"] = parts };
    }

    /// <summary>One schema; <paramref name="dispatchedFrom"/> are the bases its own allOf names without their dispatch.</summary>
    static JsonObject Convert(JsonObject schema, HashSet<string>? dispatchedFrom = null)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            var target = DefName(reference.GetValue<string>());
            return new JsonObject { ["$ref"] = dispatchedFrom?.Contains(target) == true ? $"#/$defs/{target}.base" : DefRef(reference.GetValue<string>()) };
        }
        var result = new JsonObject();
        JsonObject? length = null;
        foreach (var (key, value) in schema)
        {
            switch (key, value)
            {
                case ("properties", JsonObject properties):
                    result[key] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Convert((JsonObject)p.Value!))));
                    break;
                case ("items" or "additionalProperties" or "not", JsonObject child):
                    result[key] = Convert(child);
                    break;
                case ("allOf", JsonArray parts):
                    result[key] = new JsonArray(parts.Select(p => (JsonNode?)Convert((JsonObject)p!, dispatchedFrom)).ToArray());
                    break;
                case ("oneOf" or "anyOf", JsonArray parts):
                    result[key] = new JsonArray(parts.Select(p => (JsonNode?)Convert((JsonObject)p!)).ToArray());
                    break;
                case ("minLength" or "maxLength", _):
                    length ??= [];
                    length[key == "minLength" ? "min" : "max"] = value!.DeepClone();
                    break;
                case ("nullable" or "discriminator", _):
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }
        if (length is not null)
            result[Utf16LengthKeyword.Name] = length;
        if (schema["nullable"] is JsonValue nullable && nullable.GetValue<bool>())
        {
            if (result["type"] is JsonValue type)
                result["type"] = new JsonArray(type.GetValue<string>(), "null");
            if (result["enum"] is JsonArray allowed)
                allowed.Add(null);
        }
        return result;
    }

    static string DefName(string reference) =>
        reference.StartsWith("#/components/schemas/", StringComparison.Ordinal)
            ? reference["#/components/schemas/".Length..]
            : throw new NotSupportedException("Only references to component schemas are supported: " + reference);

    static string DefRef(string reference) => "#/$defs/" + DefName(reference);

    // --- results to errors, in the shape LINE answers with ("messages[0].text") -------------------------------

    void Collect(EvaluationResults node, JsonNode? instance, string root, List<SchemaError> errors)
    {
        if (node.IsValid)
            return;
        if (node.Errors is { } found)
            foreach (var (keyword, message) in found)
                errors.AddRange(Describe(node, keyword, message, instance, root));
        foreach (var child in node.Details)
        {
            // A failing branch of oneOf/anyOf or a failing condition is no error of its own: the parent says what failed.
            var path = child.EvaluationPath.ToString();
            if (!Regex.IsMatch(path, @"/(oneOf|anyOf)/\d+$|/(if|not)$"))
                Collect(child, instance, root, errors);
        }
    }

    IEnumerable<SchemaError> Describe(EvaluationResults node, string keyword, string message, JsonNode? instance, string root)
    {
        var pointer = node.InstanceLocation.ToString();
        var value = Find(instance, pointer);
        var schema = SchemaAt(root, node.EvaluationPath.ToString());
        var property = Show(instance, pointer);
        switch (keyword)
        {
            case "required" when value is JsonObject obj && schema is { } s && s["required"] is JsonArray required:
                foreach (var name in required.Select(r => r!.GetValue<string>()).Where(n => !obj.ContainsKey(n)))
                    yield return new(Join(property, name), "is required");
                break;
            case "type":
                var expected = schema?["type"] is JsonArray types ? string.Join(" or ", types) : schema?["type"]?.ToString();
                yield return new(property, $"must be {expected}, was {Describe(value)}");
                break;
            case "enum" when schema is { } s && s[DiscriminatorMark] is not null:
                yield return new(property, $"unknown value {value?.ToJsonString()}");
                break;
            case "":
                yield return new(property, "is not allowed");
                break;
            default:
                yield return new(property, message);
                break;
        }
    }

    /// <summary>The schema an evaluation path ends at, following each $ref from the evaluated reference.</summary>
    JsonNode? SchemaAt(string root, string evaluationPath)
    {
        JsonNode? node = new JsonObject { ["$ref"] = root };
        foreach (var segment in Segments(evaluationPath))
            node = segment == "$ref" && node?["$ref"] is JsonValue reference
                ? Find(converted, Uri.UnescapeDataString(reference.GetValue<string>()[(reference.GetValue<string>().IndexOf('#') + 1)..]))
                : Find(node, "/" + segment.Replace("~", "~0").Replace("/", "~1"));
        return node;
    }

    static JsonNode? Find(JsonNode? node, string pointer)
    {
        foreach (var segment in Segments(pointer))
            node = node switch
            {
                JsonArray array when int.TryParse(segment, out var i) && i < array.Count => array[i],
                JsonObject obj => obj[segment],
                _ => null,
            };
        return node;
    }

    /// <summary>"/messages/0/text" as LINE writes it: "messages[0].text"; the body itself is "(body)".</summary>
    static string Show(JsonNode? instance, string pointer)
    {
        var path = "";
        var node = instance;
        foreach (var segment in Segments(pointer))
        {
            path = node is JsonArray ? $"{path}[{segment}]" : Join(path, segment);
            node = Find(node, "/" + segment.Replace("~", "~0").Replace("/", "~1"));
        }
        return path.Length == 0 ? "(body)" : path;
    }

    static IEnumerable<string> Segments(string pointer) =>
        pointer.Length == 0 ? [] : pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~"));

    static string Join(string path, string name) => path is "" or "(body)" ? name : path + "." + name;

    static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "boolean",
        _ => "number",
    };

    static Regex TemplateRegex(string template) =>
        new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant);

    /// <summary>YAML to JSON: plain scalars become numbers, booleans or null when they read as such; quoted ones stay strings.</summary>
    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException("YAML aliases are not supported"),
    };

    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any))
            return JsonValue.Create(text);
        if (text is "null" or "~" or "")
            return null;
        // Parsed back from JSON text so that the values convert to any numeric type when read.
        if (text is "true" or "false")
            return JsonNode.Parse(text);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonNode.Parse(l.ToString(CultureInfo.InvariantCulture));
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && text.Any(char.IsDigit) && !text.Contains(':') && double.IsFinite(d))
            return JsonNode.Parse(d.ToString("R", CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }
}
