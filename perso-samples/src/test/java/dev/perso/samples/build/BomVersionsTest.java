package dev.perso.samples.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM tells users which third-party versions the SDK was tested with; the parent pom is where the
 * build takes them from. The BOM cannot inherit them (importing it must not bring the parent's test
 * dependencies and plugins), so this test keeps the two equal.
 */
class BomVersionsTest {
  @Test
  void everyThirdPartyVersionInTheBomIsTheOneTheBuildUses() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Document parent = read(root.resolve("pom.xml"));
    Document bom = read(root.resolve("perso-bom/pom.xml"));
    Map<String, String> properties = new HashMap<>();
    Node props = parent.getElementsByTagName("properties").item(0);
    for (Node n = props.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element) {
        properties.put(n.getNodeName(), n.getTextContent().trim());
      }
    }
    Map<String, String> built = managed(parent, properties);
    Map<String, String> told = managed(bom, Map.of());
    int thirdParty = 0;
    for (Map.Entry<String, String> e : told.entrySet()) {
      if (e.getKey().startsWith("dev.perso:")) {
        continue;
      }
      thirdParty++;
      assertThat(built).as("the parent pom manages %s", e.getKey()).containsKey(e.getKey());
      assertThat(e.getValue()).as("BOM version of %s", e.getKey()).isEqualTo(built.get(e.getKey()));
    }
    assertThat(thirdParty).isGreaterThanOrEqualTo(6);
  }

  private static Document read(Path pom) throws Exception {
    assertThat(pom).exists();
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(Files.newInputStream(pom));
  }

  private static Map<String, String> managed(Document pom, Map<String, String> properties) {
    Map<String, String> out = new HashMap<>();
    Element dm = (Element) pom.getElementsByTagName("dependencyManagement").item(0);
    NodeList deps = dm.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      String version = text(d, "version");
      if (version.startsWith("${") && properties.containsKey(version.substring(2, version.length() - 1))) {
        version = properties.get(version.substring(2, version.length() - 1));
      }
      out.put(text(d, "groupId") + ":" + text(d, "artifactId"), version);
    }
    return out;
  }

  private static String text(Element e, String tag) {
    NodeList l = e.getElementsByTagName(tag);
    return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
  }
}
