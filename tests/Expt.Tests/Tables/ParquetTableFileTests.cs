using DuckDB.NET.Data;
using Expt.Internal;
using Expt.Tables;

namespace Expt.Tests.Tables;

public sealed class ParquetTableFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-parquet");

    public void Dispose() => _dir.Dispose();

    private static readonly DateTimeOffset Started = new(2026, 11, 29, 21, 12, 0, 123, TimeSpan.Zero);

    internal static ResultTable EveryType() => new(
        [
            new TableColumn("job", TableColumnType.String),
            new TableColumn("rank", TableColumnType.Int64),
            new TableColumn("acc", TableColumnType.Double),
            new TableColumn("ok", TableColumnType.Boolean),
            new TableColumn("started", TableColumnType.Timestamp),
        ],
        [
            ["r1", 1L, 0.5, true, Started],
            ["r2, \"quoted\"\nline", null, double.NaN, false, null],
            [null, -3L, null, null, Started.AddSeconds(1.5)],
        ],
        [new("experiment", "toy"), new("notes", "first try\nsecond line"), new("schema_version", "1")]);

    private static DuckDBConnection Duck()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    [Fact]
    public async Task Given_a_table_of_every_type_when_written_then_DuckDB_reads_the_same_rows_types_and_metadata()
    {
        // Given
        var path = _dir.Combine("t.parquet");

        // When
        await ParquetTableFile.WriteAsync(EveryType(), path);

        // Then
        using var duck = Duck();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT * FROM '{path}'";
        using (var reader = command.ExecuteReader())
        {
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName).ShouldBe(["Varchar", "BigInt", "Double", "Boolean", "TimestampTz"]);
            reader.Read().ShouldBeTrue();
            reader.GetString(0).ShouldBe("r1");
            reader.GetInt64(1).ShouldBe(1L);
            reader.GetDouble(2).ShouldBe(0.5);
            reader.GetBoolean(3).ShouldBeTrue();
            ((DateTime)reader.GetValue(4)).ShouldBe(Started.UtcDateTime);
            reader.Read().ShouldBeTrue();
            reader.GetString(0).ShouldBe("r2, \"quoted\"\nline");
            reader.IsDBNull(1).ShouldBeTrue();
            double.IsNaN(reader.GetDouble(2)).ShouldBeTrue();
            reader.GetBoolean(3).ShouldBeFalse();
            reader.IsDBNull(4).ShouldBeTrue();
            reader.Read().ShouldBeTrue();
            reader.IsDBNull(0).ShouldBeTrue();
            reader.GetInt64(1).ShouldBe(-3L);
            reader.IsDBNull(2).ShouldBeTrue();
            reader.IsDBNull(3).ShouldBeTrue();
            reader.Read().ShouldBeFalse();
        }
        command.CommandText = $"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{path}') ORDER BY 1";
        var metadata = new List<(string, string)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) metadata.Add((reader.GetString(0), reader.GetString(1)));
        }
        metadata.ShouldBe([("experiment", "toy"), ("notes", "first try\nsecond line"), ("schema_version", "1")]);
    }

    [Fact]
    public async Task Given_a_file_written_by_Expt_when_read_back_then_rows_types_and_metadata_are_the_same()
    {
        // Given
        var path = _dir.Combine("t.parquet");
        var table = EveryType();
        await ParquetTableFile.WriteAsync(table, path);

        // When
        var read = await ParquetTableFile.ReadAsync(path);

        // Then
        read.Columns.ShouldBe(table.Columns);
        read.Rows.Count.ShouldBe(3);
        for (var r = 0; r < 3; r++) read.Rows[r].ShouldBe(table.Rows[r]);
        read.Metadata.ShouldBe(table.Metadata);
    }

    [Fact]
    public async Task Given_a_file_written_by_DuckDB_when_read_then_Expt_gets_its_rows_types_and_metadata()
    {
        // Given
        var path = _dir.Combine("duck.parquet");
        using (var duck = Duck())
        using (var command = duck.CreateCommand())
        {
            command.CommandText = $$"""
                COPY (SELECT * FROM (VALUES
                    ('math', true, 3::INTEGER, 0.25::FLOAT, 1.5::DECIMAL(6,2), TIMESTAMP '2026-01-02 03:04:05'),
                    ('code', NULL, NULL, NULL, NULL, NULL)) t(split, verified, candidate, p, cost, ts))
                TO '{{path}}' (FORMAT parquet, KV_METADATA {model: 'gpt', notes: 'n'})
                """;
            command.ExecuteNonQuery();
        }

        // When
        var table = await ParquetTableFile.ReadAsync(path);

        // Then
        table.Columns.Select(c => (c.Name, c.Type)).ShouldBe([
            ("split", TableColumnType.String), ("verified", TableColumnType.Boolean), ("candidate", TableColumnType.Int64),
            ("p", TableColumnType.Double), ("cost", TableColumnType.Double), ("ts", TableColumnType.Timestamp)]);
        table.Rows[0].ShouldBe(["math", true, 3L, 0.25, 1.5, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)]);
        table.Rows[1].ShouldBe(["code", null, null, null, null, null]);
        table.Metadata.ShouldBe([new("model", "gpt"), new("notes", "n")]);
    }

    [Fact]
    public async Task Given_a_write_that_fails_half_way_when_writing_atomically_then_the_old_file_stays_and_no_temporary_file_is_left()
    {
        // Given
        var path = _dir.File("t.parquet", "old");

        // When
        var error = await Should.ThrowAsync<IOException>(() => AtomicFile.WriteStreamAsync(path, async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[4096], ct);
            throw new IOException("No space left on device");
        }));

        // Then
        error.Message.ShouldContain("No space left");
        File.ReadAllText(path).ShouldBe("old");
        Directory.GetFiles(_dir.Path).ShouldBe([path]);
    }

    [Fact]
    public async Task Given_a_file_that_is_not_Parquet_when_read_then_one_clear_error_names_it()
    {
        // Given
        var path = _dir.File("nope.parquet", "hello, not parquet at all");

        // When
        var error = await Should.ThrowAsync<ResultTableException>(() => ParquetTableFile.ReadAsync(path));

        // Then
        error.Message.ShouldStartWith(path + ": is not a Parquet file");
    }
}
