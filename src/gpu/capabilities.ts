/**
 * What the shared context can do, asked once: float render targets (GPU smoothing needs them),
 * and whether the "GPU" is a software rasteriser, where the CPU smooths faster.
 */
import { cached, type SharedGL } from './context';

export interface Capabilities {
  floatTargets: boolean;
  software: boolean;
  renderer: string;
}

export function capabilities(g: SharedGL): Capabilities {
  return cached(g, 'capabilities', () => {
    const gl = g.gl;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    return {
      floatTargets: canRenderFloat(gl),
      software: /swiftshader|llvmpipe|softpipe|software/i.test(renderer),
      renderer,
    };
  });
}

/** Try it: an RGBA float texture attached to a framebuffer must be complete. */
function canRenderFloat(gl: WebGLRenderingContext): boolean {
  if (!gl.getExtension('OES_texture_float')) return false;
  gl.getExtension('WEBGL_color_buffer_float');
  const tex = gl.createTexture();
  const fbo = gl.createFramebuffer();
  const prevFbo = gl.getParameter(gl.FRAMEBUFFER_BINDING);
  const prevTex = gl.getParameter(gl.TEXTURE_BINDING_2D);
  gl.bindTexture(gl.TEXTURE_2D, tex);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 1, 1, 0, gl.RGBA, gl.FLOAT, null);
  gl.bindFramebuffer(gl.FRAMEBUFFER, fbo);
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex, 0);
  const ok = gl.checkFramebufferStatus(gl.FRAMEBUFFER) === gl.FRAMEBUFFER_COMPLETE;
  gl.bindFramebuffer(gl.FRAMEBUFFER, prevFbo);
  gl.bindTexture(gl.TEXTURE_2D, prevTex);
  gl.deleteFramebuffer(fbo);
  gl.deleteTexture(tex);
  return ok;
}
