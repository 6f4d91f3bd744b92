#include "decoding/payload.h"
#include "replay/projection.h"

#include "replay/eventjson.h"
#include "replay/jsonpath.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// Event data as the replay passes it: Undefined when the payload is not JSON.
QJsonValue eventData(const QByteArray &bytes)
{
    return Payload::toJson(bytes).value_or(QJsonValue(QJsonValue::Undefined));
}

Projection projection(const QByteArray &json)
{
    QString error;
    const std::optional<Projection> parsed = Projection::fromJson(json, &error);
    if (!parsed)
        qFatal("test projection does not parse: %s", qPrintable(error));
    return *parsed;
}

} // namespace

class TestProjection : public QObject
{
    Q_OBJECT

private slots:
    void payloadToJson_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("expected"); // the value in a one-element array, or "none"

        QTest::newRow("object") << QByteArray(R"({"a":1})") << QByteArray(R"([{"a":1}])");
        QTest::newRow("array") << QByteArray("[1,2]") << QByteArray("[[1,2]]");
        QTest::newRow("object with spaces")
            << QByteArray(" \n{\"a\": 1}\r\n ") << QByteArray(R"([{"a":1}])");
        QTest::newRow("number") << QByteArray("42") << QByteArray("[42]");
        QTest::newRow("negative fraction") << QByteArray("-1.5e3") << QByteArray("[-1500]");
        QTest::newRow("number with spaces") << QByteArray(" 7\n") << QByteArray("[7]");
        QTest::newRow("string") << QByteArray(R"("text")") << QByteArray(R"(["text"])");
        // Plain literals: moc (Qt 6.4) lexes raw strings as plain ones and would lose track
        // of the class at these unbalanced quotes.
        QTest::newRow("string with brackets") << QByteArray("\"],[\"") << QByteArray("[\"],[\"]");
        QTest::newRow("true") << QByteArray("true") << QByteArray("[true]");
        QTest::newRow("false") << QByteArray("false") << QByteArray("[false]");
        QTest::newRow("null is a value") << QByteArray("null") << QByteArray("[null]");

        QTest::newRow("empty") << QByteArray() << QByteArray("none");
        QTest::newRow("only spaces") << QByteArray(" \t\n") << QByteArray("none");
        QTest::newRow("plain text") << QByteArray("hello") << QByteArray("none");
        QTest::newRow("truncated literal") << QByteArray("tru") << QByteArray("none");
        QTest::newRow("single quotes") << QByteArray("'x'") << QByteArray("none");
        QTest::newRow("unterminated string") << QByteArray("\"abc") << QByteArray("none");
        QTest::newRow("unterminated object") << QByteArray(R"({"a":1)") << QByteArray("none");
        QTest::newRow("garbage after object") << QByteArray(R"({"a":1} x)") << QByteArray("none");
        QTest::newRow("garbage after array") << QByteArray("[1]]") << QByteArray("none");
        QTest::newRow("garbage after number") << QByteArray("42 x") << QByteArray("none");
        QTest::newRow("two values") << QByteArray("1,2") << QByteArray("none");
        QTest::newRow("two arrays spliced") << QByteArray("1],[2") << QByteArray("none");
        QTest::newRow("lone bracket") << QByteArray("]") << QByteArray("none");
        QTest::newRow("lone comma") << QByteArray(",") << QByteArray("none");
    }
    void payloadToJson()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, expected);
        const std::optional<QJsonValue> json = Payload::toJson(bytes);
        QCOMPARE(json ? TestSupport::describeJson(*json) : QByteArray("none"), expected);
    }

    void payloadToJsonOrString_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("empty is null") << QByteArray() << QByteArray("[null]");
        QTest::newRow("JSON") << QByteArray(R"({"a":[1]})") << QByteArray(R"([{"a":[1]}])");
        QTest::newRow("JSON string") << QByteArray(R"("x")") << QByteArray(R"(["x"])");
        QTest::newRow("text") << QByteArray("hello world") << QByteArray(R"(["hello world"])");
        QTest::newRow("UTF-8 text") << QByteArray("gr\xc3\xbc\xc3\x9f"
                                                  "e")
                                    << QByteArray("[\"gr\xc3\xbc\xc3\x9f"
                                                  "e\"]");
        QTest::newRow("spaces are text") << QByteArray("  ") << QByteArray(R"(["  "])");
    }
    void payloadToJsonOrString()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, expected);
        QCOMPARE(TestSupport::describeJson(Payload::toJsonOrString(bytes)), expected);
    }

    void operations_data()
    {
        QTest::addColumn<QByteArray>("projection");
        QTest::addColumn<QByteArray>("state");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("expected");

        const QString e = u"E"_s;

        // merge
        const QByteArray mergeRoot = R"({"E":[{"op":"merge"}]})";
        QTest::newRow("merge at root")
            << mergeRoot << QByteArray(R"({"a":{"x":1},"k":1})") << e
            << QByteArray(R"({"a":{"y":2}})") << QByteArray(R"({"a":{"x":1,"y":2},"k":1})");
        QTest::newRow("merge number data") << mergeRoot << QByteArray(R"({"k":1})") << e
                                           << QByteArray("42") << QByteArray(R"({"k":1})");
        QTest::newRow("merge non-JSON data") << mergeRoot << QByteArray(R"({"k":1})") << e
                                             << QByteArray("not json") << QByteArray(R"({"k":1})");
        const QByteArray profile = R"({"profile":{"name":"Ann"},"other":1})";
        QTest::newRow("merge from")
            << QByteArray(R"({"E":[{"op":"merge","from":"profile"}]})") << QByteArray(R"({"k":1})")
            << e << profile << QByteArray(R"({"k":1,"name":"Ann"})");
        QTest::newRow("merge from into path")
            << QByteArray(R"({"E":[{"op":"merge","from":"profile","path":"user.info"}]})")
            << QByteArray(R"({"user":{"info":{"age":3},"id":7}})") << e << profile
            << QByteArray(R"({"user":{"id":7,"info":{"age":3,"name":"Ann"}}})");
        QTest::newRow("merge into a number")
            << QByteArray(R"({"E":[{"op":"merge","path":"user"}]})") << QByteArray(R"({"user":5})")
            << e << QByteArray(R"({"a":1})") << QByteArray(R"({"user":{"a":1}})");
        QTest::newRow("merge from a number")
            << QByteArray(R"({"E":[{"op":"merge","from":"other"}]})") << QByteArray(R"({"k":1})")
            << e << profile << QByteArray(R"({"k":1})");
        QTest::newRow("merge from missing")
            << QByteArray(R"({"E":[{"op":"merge","from":"nope","path":"p"}]})")
            << QByteArray(R"({"k":1})") << e << profile << QByteArray(R"({"k":1})");

        // set
        QTest::newRow("set from field")
            << QByteArray(R"({"E":[{"op":"set","path":"who","from":"name"}]})")
            << QByteArray(R"({"who":"old"})") << e << QByteArray(R"({"name":"Ann"})")
            << QByteArray(R"({"who":"Ann"})");
        QTest::newRow("set from nested field")
            << QByteArray(R"({"E":[{"op":"set","path":"who","from":"profile.name"}]})")
            << QByteArray("{}") << e << profile << QByteArray(R"({"who":"Ann"})");
        QTest::newRow("set from missing does nothing")
            << QByteArray(R"({"E":[{"op":"set","path":"who","from":"name"}]})")
            << QByteArray(R"({"who":"old"})") << e << QByteArray(R"({"other":1})")
            << QByteArray(R"({"who":"old"})");
        QTest::newRow("set from field of a number does nothing")
            << QByteArray(R"({"E":[{"op":"set","path":"who","from":"name"}]})")
            << QByteArray(R"({"who":"old"})") << e << QByteArray("42")
            << QByteArray(R"({"who":"old"})");
        QTest::newRow("set from null field")
            << QByteArray(R"({"E":[{"op":"set","path":"who","from":"name"}]})")
            << QByteArray(R"({"who":"old"})") << e << QByteArray(R"({"name":null})")
            << QByteArray(R"({"who":null})");
        QTest::newRow("set whole data")
            << QByteArray(R"({"E":[{"op":"set","path":"last","from":""}]})") << QByteArray("{}")
            << e << QByteArray("42") << QByteArray(R"({"last":42})");
        QTest::newRow("set constant")
            << QByteArray(R"({"E":[{"op":"set","path":"a.b","value":{"x":[1]}}]})")
            << QByteArray(R"({"a":{"c":0}})") << e << QByteArray("{}")
            << QByteArray(R"({"a":{"b":{"x":[1]},"c":0}})");
        QTest::newRow("set constant null")
            << QByteArray(R"({"E":[{"op":"set","path":"a","value":null}]})")
            << QByteArray(R"({"a":1})") << e << QByteArray() << QByteArray(R"({"a":null})");
        QTest::newRow("set through a number")
            << QByteArray(R"({"E":[{"op":"set","path":"a.b","value":1}]})")
            << QByteArray(R"({"a":"text"})") << e << QByteArray() << QByteArray(R"({"a":{"b":1}})");

        // increment
        const QByteArray incClicks = R"({"E":[{"op":"increment","path":"clicks"}]})";
        QTest::newRow("increment missing")
            << incClicks << QByteArray("{}") << e << QByteArray() << QByteArray(R"({"clicks":1})");
        QTest::newRow("increment existing") << incClicks << QByteArray(R"({"clicks":41})") << e
                                            << QByteArray() << QByteArray(R"({"clicks":42})");
        QTest::newRow("increment a string") << incClicks << QByteArray(R"({"clicks":"x"})") << e
                                            << QByteArray() << QByteArray(R"({"clicks":1})");
        QTest::newRow("increment by")
            << QByteArray(R"({"E":[{"op":"increment","path":"stats.total","by":-1.5}]})")
            << QByteArray(R"({"stats":{"total":1}})") << e << QByteArray()
            << QByteArray(R"({"stats":{"total":-0.5}})");
        QTest::newRow("increment creates parents")
            << QByteArray(R"({"E":[{"op":"increment","path":"a.b","by":5}]})") << QByteArray("{}")
            << e << QByteArray() << QByteArray(R"({"a":{"b":5}})");
        QTest::newRow("increment twice")
            << QByteArray(R"({"E":[{"op":"increment","path":"n"},{"op":"increment","path":"n"}]})")
            << QByteArray("{}") << e << QByteArray() << QByteArray(R"({"n":2})");

        // append
        const QByteArray appendPost = R"({"E":[{"op":"append","path":"posts","from":"id"}]})";
        QTest::newRow("append to missing")
            << appendPost << QByteArray("{}") << e << QByteArray(R"({"id":"p1"})")
            << QByteArray(R"({"posts":["p1"]})");
        QTest::newRow("append to existing")
            << appendPost << QByteArray(R"({"posts":["p1"]})") << e << QByteArray(R"({"id":"p2"})")
            << QByteArray(R"({"posts":["p1","p2"]})");
        QTest::newRow("append to a non-array")
            << appendPost << QByteArray(R"({"posts":{"a":1}})") << e << QByteArray(R"({"id":"p2"})")
            << QByteArray(R"({"posts":["p2"]})");
        QTest::newRow("append from missing does nothing")
            << appendPost << QByteArray("{}") << e << QByteArray(R"({"other":1})")
            << QByteArray("{}");
        QTest::newRow("append an object")
            << appendPost << QByteArray(R"({"posts":[]})") << e << QByteArray(R"({"id":{"n":1}})")
            << QByteArray(R"({"posts":[{"n":1}]})");
        QTest::newRow("append whole data")
            << QByteArray(R"({"E":[{"op":"append","path":"log","from":""}]})")
            << QByteArray(R"({"log":[1]})") << e << QByteArray(R"("two")")
            << QByteArray(R"({"log":[1,"two"]})");
        QTest::newRow("append constant")
            << QByteArray(R"({"E":[{"op":"append","path":"a.seen","value":true}]})")
            << QByteArray("{}") << e << QByteArray() << QByteArray(R"({"a":{"seen":[true]}})");
        const QByteArray keepTwo = R"({"E":[{"op":"append","path":"posts","from":"id","keep":2}]})";
        QTest::newRow("keep drops the oldest")
            << keepTwo << QByteArray(R"({"posts":[1,2]})") << e << QByteArray(R"({"id":3})")
            << QByteArray(R"({"posts":[2,3]})");
        QTest::newRow("keep trims a longer array")
            << keepTwo << QByteArray(R"({"posts":[1,2,3,4]})") << e << QByteArray(R"({"id":5})")
            << QByteArray(R"({"posts":[4,5]})");
        QTest::newRow("keep 0 keeps all")
            << QByteArray(R"({"E":[{"op":"append","path":"posts","from":"id","keep":0}]})")
            << QByteArray(R"({"posts":[1,2,3]})") << e << QByteArray(R"({"id":4})")
            << QByteArray(R"({"posts":[1,2,3,4]})");

        // unset and ignore
        QTest::newRow("unset leaf keeps parent")
            << QByteArray(R"({"E":[{"op":"unset","path":"a.b"}]})")
            << QByteArray(R"({"a":{"b":1}})") << e << QByteArray() << QByteArray(R"({"a":{}})");
        QTest::newRow("unset missing")
            << QByteArray(R"({"E":[{"op":"unset","path":"a.b"}]})") << QByteArray(R"({"a":1})") << e
            << QByteArray() << QByteArray(R"({"a":1})");
        QTest::newRow("ignore") << QByteArray(R"({"E":[{"op":"ignore"}]})")
                                << QByteArray(R"({"a":1})") << e << QByteArray(R"({"b":2})")
                                << QByteArray(R"({"a":1})");
        QTest::newRow("empty list does nothing")
            << QByteArray(R"({"E":[]})") << QByteArray(R"({"a":1})") << e
            << QByteArray(R"({"b":2})") << QByteArray(R"({"a":1})");

        // order, fallback and the default
        QTest::newRow("operations run in order")
            << QByteArray(R"({"E":[{"op":"set","path":"n","value":10},)"
                          R"({"op":"increment","path":"n"},{"op":"unset","path":"old"},)"
                          R"({"op":"append","path":"old","value":"x"}]})")
            << QByteArray(R"({"n":1,"old":5})") << e << QByteArray()
            << QByteArray(R"({"n":11,"old":["x"]})");
        const QByteArray withFallback =
            R"({"E":[{"op":"increment","path":"e"}],"*":[{"op":"increment","path":"other"}]})";
        QTest::newRow("listed type with fallback")
            << withFallback << QByteArray("{}") << e << QByteArray(R"({"a":1})")
            << QByteArray(R"({"e":1})");
        QTest::newRow("unlisted type uses fallback")
            << withFallback << QByteArray("{}") << u"F"_s << QByteArray(R"({"a":1})")
            << QByteArray(R"({"other":1})");
        QTest::newRow("unlisted type merges without fallback")
            << incClicks << QByteArray(R"({"clicks":3})") << u"F"_s << QByteArray(R"({"name":"x"})")
            << QByteArray(R"({"clicks":3,"name":"x"})");
        QTest::newRow("types are case-sensitive")
            << incClicks << QByteArray(R"({"clicks":3})") << u"e"_s << QByteArray(R"({"a":1})")
            << QByteArray(R"({"a":1,"clicks":3})");
    }
    void operations()
    {
        QFETCH(QByteArray, projection);
        QFETCH(QByteArray, state);
        QFETCH(QString, type);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, expected);

        QJsonObject current = TestSupport::jsonObject(state);
        const QJsonObject before = current;
        ::projection(projection).apply(current, type, eventData(data));
        QCOMPARE(Payload::compact(current), expected);
        // The state is changed in place without touching a copy that shares its data, as the
        // replay's snapshots do.
        QCOMPARE(Payload::compact(before), Payload::compact(TestSupport::jsonObject(state)));
    }

    void defaultMerge_data()
    {
        QTest::addColumn<QByteArray>("state");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("into empty")
            << QByteArray("{}") << QByteArray(R"({"a":1})") << QByteArray(R"({"a":1})");
        QTest::newRow("deep") << QByteArray(R"({"p":{"a":1,"q":{"x":1}},"k":0})")
                              << QByteArray(R"({"p":{"b":2,"q":{"y":2}}})")
                              << QByteArray(R"({"k":0,"p":{"a":1,"b":2,"q":{"x":1,"y":2}}})");
        QTest::newRow("arrays replace") << QByteArray(R"({"t":[1,2,3]})")
                                        << QByteArray(R"({"t":[4]})") << QByteArray(R"({"t":[4]})");
        QTest::newRow("null replaces")
            << QByteArray(R"({"p":{"a":1}})") << QByteArray(R"({"p":null})")
            << QByteArray(R"({"p":null})");
        QTest::newRow("object replaces a number")
            << QByteArray(R"({"p":1})") << QByteArray(R"({"p":{"a":1}})")
            << QByteArray(R"({"p":{"a":1}})");
        QTest::newRow("number replaces an object")
            << QByteArray(R"({"p":{"a":1}})") << QByteArray(R"({"p":2})")
            << QByteArray(R"({"p":2})");
        QTest::newRow("empty object changes nothing")
            << QByteArray(R"({"p":{"a":1}})") << QByteArray(R"({"p":{}})")
            << QByteArray(R"({"p":{"a":1}})");
        QTest::newRow("array data")
            << QByteArray(R"({"a":1})") << QByteArray("[1]") << QByteArray(R"({"a":1})");
        QTest::newRow("string data")
            << QByteArray(R"({"a":1})") << QByteArray(R"("s")") << QByteArray(R"({"a":1})");
        QTest::newRow("non-JSON data")
            << QByteArray(R"({"a":1})") << QByteArray("{oops") << QByteArray(R"({"a":1})");
        QTest::newRow("empty data")
            << QByteArray(R"({"a":1})") << QByteArray() << QByteArray(R"({"a":1})");
    }
    void defaultMerge()
    {
        QFETCH(QByteArray, state);
        QFETCH(QByteArray, data);
        QFETCH(QByteArray, expected);

        QJsonObject current = TestSupport::jsonObject(state);
        const QJsonObject before = current;
        Projection().apply(current, u"Anything"_s, eventData(data));
        QCOMPARE(Payload::compact(current), expected);
        QCOMPARE(Payload::compact(before), Payload::compact(TestSupport::jsonObject(state)));

        // The public helper does the same for object data.
        const QJsonValue parsed = eventData(data);
        if (parsed.isObject()) {
            QJsonObject merged = TestSupport::jsonObject(state);
            Projection::deepMerge(merged, parsed.toObject());
            QCOMPARE(Payload::compact(merged), expected);
        }
    }

    void readmeExample()
    {
        const Projection clicks =
            projection(R"({"Clicked":[{"op":"increment","path":"clicks"},)"
                       R"({"op":"append","path":"recentPosts","from":"postId","keep":3}]})");
        QJsonObject state;
        const auto click = [&](const QByteArray &data) {
            clicks.apply(state, u"Clicked"_s, eventData(data));
        };

        click(R"({"postId":"p1"})");
        click(R"({"postId":"p2"})");
        QCOMPARE(Payload::compact(state),
                 QByteArray(R"({"clicks":2,"recentPosts":["p1","p2"]})"));

        clicks.apply(state, u"Renamed"_s, eventData(R"({"name":"Ann"})"));
        click(R"({"postId":"p3"})");
        click(R"({"at":5})"); // counted, but no post to remember
        click(R"({"postId":"p4"})");
        const QJsonObject snapshot = state;
        click(R"({"postId":"p5"})");
        QCOMPARE(Payload::compact(state),
                 QByteArray(R"({"clicks":6,"name":"Ann","recentPosts":["p3","p4","p5"]})"));
        QCOMPARE(Payload::compact(snapshot),
                 QByteArray(R"({"clicks":5,"name":"Ann","recentPosts":["p2","p3","p4"]})"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("projection");
        QTest::addColumn<QString>("error");

        QTest::newRow("top level array")
            << QByteArray(R"([{"op":"ignore"}])")
            << u"projection must be a JSON object mapping event types to operation lists"_s;
        QTest::newRow("type not an array")
            << QByteArray(R"({"Clicked":{"op":"increment","path":"clicks"}})")
            << u"type \"Clicked\": expected an array of operations"_s;
        QTest::newRow("fallback not an array")
            << QByteArray(R"({"*":"ignore"})") << u"type \"*\": expected an array of operations"_s;
        QTest::newRow("operation not an object")
            << QByteArray(R"({"Clicked":["increment"]})")
            << uR"(type "Clicked", operation 1 of 1: expected an object like {"op": "increment", "path": "clicks"})"_s;
        QTest::newRow("missing op") << QByteArray(R"({"E":[{"op":"ignore"},{"path":"x"}]})")
                                    << uR"(type "E", operation 2 of 2: missing "op")"_s;
        QTest::newRow("op not a string")
            << QByteArray(R"({"E":[{"op":1}]})")
            << uR"(type "E", operation 1 of 1: "op" must be a string)"_s;
        QTest::newRow("unknown op")
            << QByteArray(R"({"E":[{"op":"ignore"},{"op":"incr","path":"x"},{"op":"ignore"}]})")
            << uR"(type "E", operation 2 of 3: unknown op "incr" (expected merge, set, increment, append, unset or ignore))"_s;
        QTest::newRow("unknown field")
            << QByteArray(R"({"E":[{"op":"increment","path":"x","step":2}]})")
            << uR"(type "E", operation 1 of 1: unknown field "step" for op increment)"_s;
        QTest::newRow("field of another op")
            << QByteArray(R"({"E":[{"op":"ignore","path":"x"}]})")
            << uR"(type "E", operation 1 of 1: unknown field "path" for op ignore)"_s;
        QTest::newRow("increment missing path")
            << QByteArray(R"({"E":[{"op":"increment"}]})")
            << uR"(type "E", operation 1 of 1: missing "path")"_s;
        QTest::newRow("set missing path") << QByteArray(R"({"E":[{"op":"set","value":1}]})")
                                          << uR"(type "E", operation 1 of 1: missing "path")"_s;
        QTest::newRow("append missing path") << QByteArray(R"({"E":[{"op":"append","from":"id"}]})")
                                             << uR"(type "E", operation 1 of 1: missing "path")"_s;
        QTest::newRow("unset missing path") << QByteArray(R"({"E":[{"op":"unset"}]})")
                                            << uR"(type "E", operation 1 of 1: missing "path")"_s;
        QTest::newRow("empty path") << QByteArray(R"({"E":[{"op":"unset","path":""}]})")
                                    << uR"(type "E", operation 1 of 1: "path" must not be empty)"_s;
        QTest::newRow("path not a string")
            << QByteArray(R"({"E":[{"op":"unset","path":["a"]}]})")
            << uR"(type "E", operation 1 of 1: "path" must be a string)"_s;
        QTest::newRow("empty path part")
            << QByteArray(R"({"E":[{"op":"increment","path":"a..b"}]})")
            << uR"(type "E", operation 1 of 1: "path" has an empty part: "a..b")"_s;
        QTest::newRow("empty from part")
            << QByteArray(R"({"E":[{"op":"set","path":"a","from":"x."}]})")
            << uR"(type "E", operation 1 of 1: "from" has an empty part: "x.")"_s;
        QTest::newRow("from not a string")
            << QByteArray(R"({"E":[{"op":"merge","from":1}]})")
            << uR"(type "E", operation 1 of 1: "from" must be a string)"_s;
        QTest::newRow("set without source")
            << QByteArray(R"({"E":[{"op":"set","path":"a"}]})")
            << uR"(type "E", operation 1 of 1: needs "from" (a data field) or "value" (a constant))"_s;
        QTest::newRow("append without source")
            << QByteArray(R"({"E":[{"op":"append","path":"a","keep":2}]})")
            << uR"(type "E", operation 1 of 1: needs "from" (a data field) or "value" (a constant))"_s;
        QTest::newRow("from and value")
            << QByteArray(R"({"E":[{"op":"set","path":"a","from":"b","value":1}]})")
            << uR"(type "E", operation 1 of 1: takes "from" or "value", not both)"_s;
        QTest::newRow("by not a number")
            << QByteArray(R"({"E":[{"op":"increment","path":"a","by":"2"}]})")
            << uR"(type "E", operation 1 of 1: "by" must be a number)"_s;
        const QString keepError =
            uR"(type "E", operation 1 of 1: "keep" must be a whole number, 0 or more (0 keeps all))"_s;
        QTest::newRow("keep negative")
            << QByteArray(R"({"E":[{"op":"append","path":"a","value":1,"keep":-1}]})") << keepError;
        QTest::newRow("keep fraction")
            << QByteArray(R"({"E":[{"op":"append","path":"a","value":1,"keep":1.5}]})")
            << keepError;
        QTest::newRow("keep string")
            << QByteArray(R"({"E":[{"op":"append","path":"a","value":1,"keep":"3"}]})")
            << keepError;
        QTest::newRow("keep huge")
            << QByteArray(R"({"E":[{"op":"append","path":"a","value":1,"keep":1e12}]})")
            << keepError;
        // A path's parts are bounded (each one a level of the state); the message names both.
        const QByteArray longPath = QByteArray("a").append(QByteArray(".a").repeated(29999));
        QTest::newRow("path of 30,000 parts")
            << "{\"E\":[{\"op\":\"set\",\"path\":\""_ba + longPath + "\",\"value\":1}]}"_ba
            << uR"(type "E", operation 1 of 1: "path" has 30000 parts; a path may have at most 64)"_s;
        QTest::newRow("from of 65 parts")
            << "{\"E\":[{\"op\":\"set\",\"path\":\"a\",\"from\":\""_ba +
                   QByteArray("a").append(QByteArray(".a").repeated(64)) + "\"}]}"_ba
            << uR"(type "E", operation 1 of 1: "from" has 65 parts; a path may have at most 64)"_s;
        // Constants are bounded in all, not one by one: the second one crosses the limit.
        const QByteArray half = QByteArray(40 * 1024, 'x');
        QTest::newRow("constants over 64 KiB in all")
            << "{\"A\":[{\"op\":\"set\",\"path\":\"a\",\"value\":\""_ba + half +
                   "\"}],\"B\":[{\"op\":\"ignore\"},{\"op\":\"append\",\"path\":\"b\",\"value\":[\""_ba +
                   half + "\"]}]}"_ba
            << uR"(type "B", operation 2 of 2: the constants ("value") of a projection may hold at most 64 KiB of JSON in all; with this one they hold 81926 bytes)"_s;
        QTest::newRow("type with spaces is named")
            << QByteArray(R"({"Order Placed":[{"op":"bogus"}]})")
            << uR"(type "Order Placed", operation 1 of 1: unknown op "bogus" (expected merge, set, increment, append, unset or ignore))"_s;
    }
    void errors()
    {
        QFETCH(QByteArray, projection);
        QFETCH(QString, error);
        QString message;
        QVERIFY(!Projection::fromJson(projection, &message));
        QCOMPARE(message, error);
        // A caller that does not want the message still gets the failure.
        QVERIFY(!Projection::fromJson(projection, nullptr));
    }

    void invalidJson()
    {
        // The parser's own words and offset come from Qt; ours wrap them.
        const QByteArray text = R"({"E": [})";
        QJsonParseError parseError;
        QJsonDocument::fromJson(text, &parseError);
        QVERIFY(parseError.error != QJsonParseError::NoError);
        QString message;
        QVERIFY(!Projection::fromJson(text, &message));
        QCOMPARE(message, u"projection is not valid JSON: "_s % parseError.errorString() %
                              u" at offset "_s % QString::number(parseError.offset));
    }

    void emptyProjectionMergesEverything()
    {
        QString error = u"untouched"_s;
        const std::optional<Projection> parsed = Projection::fromJson("{}", &error);
        QVERIFY(parsed);
        QCOMPARE(error, u"untouched"_s);
        QJsonObject state;
        parsed->apply(state, u"E"_s, eventData(R"({"a":{"b":1}})"));
        QCOMPARE(Payload::compact(state), QByteArray(R"({"a":{"b":1}})"));
    }

    void fromFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        const QString good = dir.filePath(u"clicks.json"_s);
        QFile file(good);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"Clicked":[{"op":"increment","path":"clicks","by":2}]})");
        file.close();
        QString error;
        const std::optional<Projection> parsed = Projection::fromFile(good, &error);
        QVERIFY2(parsed, qPrintable(error));
        QJsonObject state;
        parsed->apply(state, u"Clicked"_s, QJsonValue(QJsonValue::Undefined));
        QCOMPARE(Payload::compact(state), QByteArray(R"({"clicks":2})"));

        const QString bad = dir.filePath(u"bad.json"_s);
        file.setFileName(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"Clicked":[{"op":"increment"}]})");
        file.close();
        QVERIFY(!Projection::fromFile(bad, &error));
        QCOMPARE(error, bad % uR"(: type "Clicked", operation 1 of 1: missing "path")"_s);

        const QString missing = dir.filePath(u"missing.json"_s);
        QVERIFY(!Projection::fromFile(missing, &error));
        QVERIFY2(error.startsWith(u"cannot read projection "_s % missing % u": "_s),
                 qPrintable(error));
    }

    void pathAtTheLimit()
    {
        const QByteArray path = QByteArray("a").append(QByteArray(".a").repeated(63));
        QJsonObject state;
        projection("{\"E\":[{\"op\":\"set\",\"path\":\""_ba + path + "\",\"value\":1}]}"_ba)
            .apply(state, u"E"_s, QJsonValue());
        QCOMPARE(JsonPath::get(state, JsonPath::split(QString::fromLatin1(path))), QJsonValue(1));
    }

    // The file is read up to the limit and no further: an endless or huge file is refused
    // with the limit in the message instead of filling the memory.
    void fromFileBoundsItsRead_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("size"); // of a file written first; -1: use path as it is
        QTest::newRow("/dev/zero") << u"/dev/zero"_s << qint64(-1);
        QTest::newRow("one byte over") << QString() << Projection::MaxFileBytes + 1;
    }
    void fromFileBoundsItsRead()
    {
        QFETCH(QString, path);
        QFETCH(qint64, size);
        QTemporaryDir dir;
        if (size >= 0) {
            path = dir.filePath(u"large.json"_s);
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            // A valid projection padded with white space, so that only the size can be the
            // reason.
            QByteArray json = R"({"E":[{"op":"increment","path":"a"}]})";
            json += QByteArray(size - json.size(), ' ');
            QCOMPARE(file.write(json), size);
        }
        QString error;
        QVERIFY(!Projection::fromFile(path, &error));
        QCOMPARE(error, path % u": a projection file may be at most 1024 KiB; this one is larger"_s);
    }
    void fromFileAtTheLimit()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"limit.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray json = R"({"E":[{"op":"increment","path":"a"}]})";
        json += QByteArray(Projection::MaxFileBytes - json.size(), ' ');
        QCOMPARE(file.write(json), Projection::MaxFileBytes);
        file.close();
        QString error;
        QVERIFY2(Projection::fromFile(path, &error), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestProjection)
#include "tst_projection.moc"
