using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Json.More;
using Json.Schema;

namespace FrontDesk.FakeLine;

/// <summary>
/// minLength/maxLength as LINE counts them, in UTF-16 code units: JSON Schema counts code points, so an emoji would
/// count once where LINE counts it twice.
/// </summary>
[SchemaKeyword(Name)]
[SchemaSpecVersion(SpecVersion.Draft202012)]
[JsonConverter(typeof(Utf16LengthKeywordJsonConverter))]
public sealed class Utf16LengthKeyword(int? min, int? max) : IJsonSchemaKeyword
{
    public const string Name = "x-utf16Length";

    public int? Min => min;
    public int? Max => max;

    public KeywordConstraint GetConstraint(SchemaConstraint schemaConstraint, ReadOnlySpan<KeywordConstraint> localConstraints, EvaluationContext context) =>
        new(Name, Evaluate);

    void Evaluate(KeywordEvaluation evaluation, EvaluationContext context)
    {
        if (evaluation.LocalInstance is not JsonValue value || !value.TryGetValue<string>(out var s))
        {
            evaluation.MarkAsSkipped();
            return;
        }
        if (s.Length < min)
            evaluation.Results.Fail(Name, $"must be at least {min} characters, was {s.Length}");
        else if (s.Length > max)
            evaluation.Results.Fail(Name, $"must be at most {max} characters, was {s.Length}");
    }
}

public sealed class Utf16LengthKeywordJsonConverter : WeaklyTypedJsonConverter<Utf16LengthKeyword>
{
    public override Utf16LengthKeyword Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var limits = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException($"{Utf16LengthKeyword.Name} must be an object");
        return new((int?)limits["min"], (int?)limits["max"]);
    }

    public override void Write(Utf8JsonWriter writer, Utf16LengthKeyword value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.Min is { } min)
            writer.WriteNumber("min", min);
        if (value.Max is { } max)
            writer.WriteNumber("max", max);
        writer.WriteEndObject();
    }
}

[JsonSerializable(typeof(Utf16LengthKeyword))]
internal sealed partial class FakeLineSchemaContext : JsonSerializerContext;
