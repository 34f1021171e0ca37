#define SHADER_NAME smooth/gather.frag
// Read the smoothed values at a list of point indices (a hover's nearest points), so only those
// few values travel back from the GPU.

uniform sampler2D values;   // packed smoothed values, four per texel
uniform vec2 valuesSize;
uniform sampler2D indices;  // LUMINANCE float: one point index per texel
uniform vec2 indicesSize;
uniform vec2 dstSize;

void main() {
  float k = floor(gl_FragCoord.y) * dstSize.x + floor(gl_FragCoord.x);
  float e = texture2D(indices, uvAt(k, indicesSize)).x;
  gl_FragColor = vec4(packedAt(values, valuesSize, e), 0.0, 0.0, 0.0);
}
