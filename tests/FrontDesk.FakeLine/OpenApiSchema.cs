using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace FrontDesk.FakeLine;

public sealed record SchemaError(string Property, string Message)
{
    public override string ToString() => $"{Property}: {Message}";
}

/// <summary>
/// An OpenAPI 3.0 document and a validator for the part of JSON Schema the LINE files use: $ref, type, required,
/// properties, additionalProperties, enum, min/maxLength, min/maxItems, items, minimum/maximum, pattern,
/// format: uri, allOf, oneOf, anyOf, nullable, and discriminator with mapping. Lengths are counted in UTF-16 code
/// units, as LINE counts characters.
/// </summary>
public sealed class OpenApiDocument
{
    const int MaxDepth = 100;
    readonly JsonObject root;
    readonly List<(Regex Template, string Method, JsonObject Operation)> operations = [];
    readonly Dictionary<string, Regex> patterns = [];

    OpenApiDocument(JsonObject root)
    {
        this.root = root;
        if (root["paths"] is JsonObject paths)
            foreach (var (path, item) in paths)
                if (item is JsonObject methods)
                    foreach (var (method, operation) in methods)
                        if (operation is JsonObject op)
                            operations.Add((TemplateRegex(path), method.ToUpperInvariant(), op));
    }

    public static OpenApiDocument Load(string path)
    {
        using var reader = new StreamReader(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        return new OpenApiDocument((JsonObject)ToJson(yaml.Documents[0].RootNode)!);
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

    public JsonObject Schema(string name) =>
        root["components"]?["schemas"]?[name] as JsonObject ?? throw new KeyNotFoundException($"No schema {name}");

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
        var errors = new List<SchemaError>();
        // Re-parsed so that every value is JSON-backed: numbers then convert to any numeric type.
        var normalized = instance is null ? null : JsonNode.Parse(instance.ToJsonString());
        Check(normalized, Resolve(schemaRef), schemaRef, "", errors, dispatchedFrom: null, depth: 0);
        return errors.Distinct().ToList();
    }

    JsonObject Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
            throw new NotSupportedException("Only local references are supported: " + reference);
        JsonNode? node = root;
        foreach (var part in reference[2..].Split('/'))
            node = node?[part.Replace("~1", "/").Replace("~0", "~")];
        return node as JsonObject ?? throw new KeyNotFoundException("Unresolvable $ref " + reference);
    }

    /// <summary>
    /// Checks one value. <paramref name="dispatchedFrom"/> is the base schema whose discriminator led here: a subtype
    /// lists its base in allOf, and the base's discriminator must not dispatch again for the same value.
    /// </summary>
    void Check(JsonNode? value, JsonObject schema, string? schemaRef, string path, List<SchemaError> errors, string? dispatchedFrom, int depth)
    {
        if (depth > MaxDepth)
        {
            errors.Add(new(Show(path), "schema nesting too deep"));
            return;
        }
        if (schema["$ref"] is JsonValue refValue)
        {
            var reference = refValue.GetValue<string>();
            Check(value, Resolve(reference), reference, path, errors, dispatchedFrom, depth + 1);
            return;
        }
        if (value is null && schema["nullable"] is JsonValue nullable && nullable.GetValue<bool>())
            return;

        if (schema["type"] is JsonValue typeNode && !HasType(value, typeNode.GetValue<string>()))
        {
            errors.Add(new(Show(path), $"must be {typeNode.GetValue<string>()}, was {Describe(value)}"));
            return;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
            errors.Add(new(Show(path), $"must be one of [{string.Join(", ", allowed.Select(a => a?.ToJsonString()))}]"));

        switch (value)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                CheckString(s, schema, path, errors);
                break;
            case JsonValue v when v.TryGetValue<double>(out var number):
                if (schema["minimum"] is JsonValue min && number < min.GetValue<double>())
                    errors.Add(new(Show(path), $"must be at least {min}"));
                if (schema["maximum"] is JsonValue max && number > max.GetValue<double>())
                    errors.Add(new(Show(path), $"must be at most {max}"));
                break;
            case JsonArray array:
                if (schema["minItems"] is JsonValue minItems && array.Count < minItems.GetValue<int>())
                    errors.Add(new(Show(path), $"must have at least {minItems} items, had {array.Count}"));
                if (schema["maxItems"] is JsonValue maxItems && array.Count > maxItems.GetValue<int>())
                    errors.Add(new(Show(path), $"must have at most {maxItems} items, had {array.Count}"));
                if (schema["items"] is JsonObject itemSchema)
                    for (var i = 0; i < array.Count; i++)
                        Check(array[i], itemSchema, null, $"{path}[{i}]", errors, null, depth + 1);
                break;
            case JsonObject obj:
                CheckObject(obj, schema, path, errors, depth);
                break;
        }

        if (schema["allOf"] is JsonArray allOf)
            foreach (var part in allOf.OfType<JsonObject>())
                Check(value, part, null, path, errors, dispatchedFrom, depth + 1);
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var passing = oneOf.OfType<JsonObject>().Count(part => Passes(value, part, path, depth));
            if (passing != 1)
                errors.Add(new(Show(path), $"must match exactly one schema in oneOf, matched {passing}"));
        }
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.OfType<JsonObject>().Any(part => Passes(value, part, path, depth)))
            errors.Add(new(Show(path), "must match at least one schema in anyOf"));

        if (schema["discriminator"] is JsonObject discriminator && value is JsonObject instance && (schemaRef is null || schemaRef != dispatchedFrom))
        {
            var property = discriminator["propertyName"]!.GetValue<string>();
            if (instance[property] is JsonValue tag && tag.TryGetValue<string>(out var name))
            {
                var target = discriminator["mapping"]?[name]?.GetValue<string>()
                    ?? (root["components"]?["schemas"]?[name] is not null ? $"#/components/schemas/{name}" : null);
                if (target is null)
                    errors.Add(new(Show(Join(path, property)), $"unknown value '{name}'"));
                else
                    Check(value, Resolve(target), target, path, errors, dispatchedFrom: schemaRef, depth + 1);
            }
        }
    }

    bool Passes(JsonNode? value, JsonObject schema, string path, int depth)
    {
        var scratch = new List<SchemaError>();
        Check(value, schema, null, path, scratch, null, depth + 1);
        return scratch.Count == 0;
    }

    void CheckString(string s, JsonObject schema, string path, List<SchemaError> errors)
    {
        if (schema["minLength"] is JsonValue min && s.Length < min.GetValue<int>())
            errors.Add(new(Show(path), $"must be at least {min} characters, was {s.Length}"));
        if (schema["maxLength"] is JsonValue max && s.Length > max.GetValue<int>())
            errors.Add(new(Show(path), $"must be at most {max} characters, was {s.Length}"));
        if (schema["pattern"] is JsonValue pattern)
        {
            var text = pattern.GetValue<string>();
            Regex regex;
            lock (patterns)
            {
                if (!patterns.TryGetValue(text, out regex!))
                    patterns[text] = regex = new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            if (!regex.IsMatch(s))
                errors.Add(new(Show(path), $"must match {text}"));
        }
        if (schema["format"] is JsonValue format && format.GetValue<string>() == "uri"
            && !(Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme.Length > 0))
            errors.Add(new(Show(path), "must be an absolute URI"));
    }

    void CheckObject(JsonObject obj, JsonObject schema, string path, List<SchemaError> errors, int depth)
    {
        if (schema["required"] is JsonArray required)
            foreach (var name in required.Select(r => r!.GetValue<string>()))
                if (!obj.ContainsKey(name))
                    errors.Add(new(Show(Join(path, name)), "is required"));
        var properties = schema["properties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            if (properties?[name] is JsonObject propertySchema)
                Check(child, propertySchema, null, Join(path, name), errors, null, depth + 1);
            else if (schema["additionalProperties"] is JsonObject additional)
                Check(child, additional, null, Join(path, name), errors, null, depth + 1);
            else if (schema["additionalProperties"] is JsonValue flag && !flag.GetValue<bool>())
                errors.Add(new(Show(Join(path, name)), "is not allowed"));
        }
    }

    static bool HasType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue s && s.TryGetValue<string>(out _),
        "boolean" => value is JsonValue b && b.TryGetValue<bool>(out _),
        "integer" => value is JsonValue i && i.TryGetValue<double>(out var d) && Math.Floor(d) == d && !double.IsInfinity(d),
        "number" => value is JsonValue n && n.TryGetValue<double>(out _),
        _ => true,
    };

    static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "boolean",
        _ => "number",
    };

    static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
    static string Show(string path) => path.Length == 0 ? "(body)" : path;

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
